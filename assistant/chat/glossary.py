"""The glossary: acronyms the corpus defines, found by code in the stored chunks, each with a citation.

Every definition stated in a chunk's text (`assistant.answering.acronyms.stated_definitions`: "expansion (ACR)",
"expansion, ACR,", "ACR (expansion)", "ACR – expansion") is a candidate entry; the best one per acronym is
kept. An acronym the corpus only uses (RUS, ESF-rådet) becomes a weaker, "inferred" entry: the phrase that
spells it with initials alone most often in the passages that use it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.answering.acronyms import is_acronym, spelled_phrases, stated_definitions
from ingest.swedish.sentences import split_sentences
from ingest.types import Chunk

_USED = re.compile(r"(?<![\w-])([A-ZÅÄÖ]{2,8})(?![\wÅÄÖåäö])")
MIN_INFERRED_LETTERS = 3  # two letters are spelled by chance too often ("EU" → "eventuella utmaningar")


@dataclass(frozen=True)
class GlossaryEntry:
    """One acronym, what it stands for, and where the corpus says so."""

    acronym: str
    expansion: str
    doc_id: str
    title: str
    page: int | None
    page_estimated: bool
    sentence: str
    chunk_id: str
    score: float
    inferred: bool = False  # matched to a phrase near its use, not stated as a definition

    @property
    def display_expansion(self) -> str:
        return self.expansion[:1].upper() + self.expansion[1:]


def build_glossary(chunks: Iterable[Chunk]) -> list[GlossaryEntry]:
    """The corpus's acronyms, alphabetically: stated definitions first, inferred ones for the rest."""
    chunks = list(chunks)
    found: dict[str, list[GlossaryEntry]] = defaultdict(list)
    for chunk in chunks:
        for entry in definitions_in(chunk):
            found[entry.acronym].append(entry)
    for entry in _inferred(chunks, known=set(found)):
        found[entry.acronym].append(entry)
    return sorted((_best(entries) for entries in found.values()), key=lambda e: e.acronym)


def _best(entries: list[GlossaryEntry]) -> GlossaryEntry:
    """Stated beats inferred, then the best spelling, then the expansion the corpus uses most."""
    counts = Counter(e.expansion.casefold() for e in entries)
    return max(entries, key=lambda e: (not e.inferred, round(e.score, 3), counts[e.expansion.casefold()]))


def definitions_in(chunk: Chunk) -> list[GlossaryEntry]:
    """The definitions stated in one chunk's text."""
    return [
        _make(chunk, d.acronym, d.expansion, _sentence_at(chunk.text, d.start), d.score)
        for d in stated_definitions(chunk.text)
    ]


def _make(
    chunk: Chunk, acronym: str, expansion: str, sentence: str, score: float, inferred: bool = False
) -> GlossaryEntry:
    return GlossaryEntry(
        acronym=acronym,
        expansion=" ".join(expansion.split()).strip(" ,"),
        doc_id=chunk.doc_id,
        title=chunk.meta.title,
        page=chunk.page,
        page_estimated=chunk.page_estimated,
        sentence=sentence,
        chunk_id=chunk.id,
        score=score,
        inferred=inferred,
    )


def _sentence_at(text: str, at: int) -> str:
    """The sentence (or list item, table line) of the passage holding character `at`."""
    for sentence in split_sentences(text):
        if sentence.start <= at < sentence.end:
            return sentence.text
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return " ".join(text[line_start : line_end if line_end >= 0 else len(text)].split())


# --- inferred entries ---------------------------------------------------------------------------------------


def _inferred(chunks: list[Chunk], known: set[str]) -> list[GlossaryEntry]:
    """Acronyms used but never defined, each matched to the phrase that spells it (initials only) most
    often in the passages that use it: "RUS" is the "regionala utvecklingsstrategin" those passages discuss."""
    candidates: dict[str, list[GlossaryEntry]] = defaultdict(list)
    for chunk in chunks:
        used = {m.group(1) for m in _USED.finditer(chunk.text)} - known
        for acronym in used:
            if is_acronym(acronym) and len(acronym) >= MIN_INFERRED_LETTERS:
                candidates[acronym] += _phrases(acronym, chunk)
    out = []
    for entries in candidates.values():
        counts = Counter(e.expansion.casefold() for e in entries)
        if entries:
            out.append(max(entries, key=lambda e: (counts[e.expansion.casefold()], e.score)))
    return out


def _phrases(acronym: str, chunk: Chunk) -> list[GlossaryEntry]:
    """Every phrase of the chunk (text or headings) that spells `acronym` with initials only."""
    out = []
    for source in (chunk.text, *chunk.heading_path):
        for start, end, score in spelled_phrases(source, acronym):
            sentence = _sentence_at(source, start) if source is chunk.text else source
            out.append(_make(chunk, acronym, source[start:end], sentence, score, True))
    return out
