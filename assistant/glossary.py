"""The glossary: acronyms the corpus defines, found by code in the stored chunks, each with a citation.

A definition is one of four patterns, read in the text of every chunk:

    Hållbar samhällsomställning, HSO,                expansion, ACR,
    Europeiska regionala utvecklingsfonden (ERUF)    expansion (ACR)
    LINN (Lärcentrum i norra Norrland)               ACR (expansion)
    RIG – Regional Input Group                       ACR – expansion

and the expansion is the run of words next to the acronym whose initials spell it best. Swedish compounds
let one word give several letters (samhälls|omställning → S, O), so the parts found by the analyser's
decompounder count as initials too. An acronym the corpus only uses (RUS, ESF-rådet) becomes a weaker,
"inferred" entry: the phrase that spells it with initials alone most often in the passages that use it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.sentences import split_sentences
from ingest.analysis import STOP_WORDS, decompound
from ingest.types import Chunk

_ACR = r"[A-ZÅÄÖ]{2,8}"
_PATTERNS_BEFORE = (re.compile(rf"\(\s*({_ACR})\s*\)"), re.compile(rf",\s*({_ACR})\s*,"))
_PATTERN_INSIDE = re.compile(rf"(?<![\w-])({_ACR})\s*\(([^()\n]{{3,120}})\)")
_PATTERN_DASH = re.compile(rf"(?<![\w-])({_ACR})\s+[–—-]\s+([^\n.;:()]{{3,120}})")
_USED = re.compile(rf"(?<![\w-])({_ACR})(?![\wÅÄÖåäö])")
_ROMAN = re.compile(r"[IVXLCDM]+")
# Words a definition may contain without a letter of their own ("Fonden för en rättvis omställning").
_SMALL = frozenset("i och för en ett av till på med om vid the of and for in to on at de".split())
# Where the words before a definition stop: the end of the previous sentence, clause or bracket.
_BOUNDARY = re.compile(r"[.!?;:()•\[\]]|,(?=\s)|\n\s*\n|\s[–—-]\s")

MIN_SCORE = 0.6  # mean credit per letter for a stated definition
MIN_INFERRED = 0.85  # an inferred one must spell the acronym with word and compound initials only
MIN_INFERRED_LETTERS = 3  # two letters are spelled by chance too often ("EU" → "eventuella utmaningar")
WORD, PART, INNER = 1.0, 0.75, 0.5  # credit for a letter that starts a word, a compound part, a syllable
SKIPPED = 0.5  # cost of a content word that gives no letter


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
    text, out = chunk.text, []
    for pattern in _PATTERNS_BEFORE:
        for m in pattern.finditer(text):
            words = _words_before(text, m.start())
            windows = [words[i:] for i in range(len(words))]
            out += _entry(chunk, m.group(1), windows, m.start())
    for pattern in (_PATTERN_INSIDE, _PATTERN_DASH):
        for m in pattern.finditer(text):
            words = m.group(2).split()
            windows = [words[:i] for i in range(len(words), 0, -1)]
            out += _entry(chunk, m.group(1), windows, m.start())
    return out


def _entry(chunk: Chunk, acronym: str, windows: list[list[str]], at: int) -> list[GlossaryEntry]:
    """The best-spelling window as an entry, or nothing if none spells the acronym well enough."""
    if not is_acronym(acronym):
        return []
    scored = [(spelling_score(acronym, w), -len(w), w) for w in windows if w]
    scored = [s for s in scored if s[0] is not None and s[0] >= MIN_SCORE]
    if not scored:
        return []
    score, _, words = max(scored)
    return [_make(chunk, acronym, " ".join(words), _sentence_at(chunk.text, at), score)]


def _make(
    chunk: Chunk, acronym: str, expansion: str, sentence: str, score: float, inferred: bool = False
) -> GlossaryEntry:
    return GlossaryEntry(
        acronym=acronym, expansion=" ".join(expansion.split()).strip(" ,"), doc_id=chunk.doc_id,
        title=chunk.meta.title, page=chunk.page, page_estimated=chunk.page_estimated, sentence=sentence,
        chunk_id=chunk.id, score=score, inferred=inferred,
    )


def is_acronym(token: str) -> bool:
    """Two to eight capitals that are not a Roman numeral (II, XIV)."""
    return 2 <= len(token) <= 8 and token.isupper() and token.isalpha() and not _ROMAN.fullmatch(token)


def _words_before(text: str, end: int, limit: int = 10) -> list[str]:
    """The words of the clause that ends at `end`, at most `limit` of them."""
    head = text[max(0, end - 300):end]
    cut = list(_BOUNDARY.finditer(head))
    clause = head[cut[-1].end():] if cut else head
    return clause.split()[-limit:]


def _sentence_at(text: str, at: int) -> str:
    """The sentence (or list item, table line) of the passage holding character `at`."""
    for sentence in split_sentences(text):
        if sentence.start <= at < sentence.end:
            return sentence.text
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return " ".join(text[line_start:line_end if line_end >= 0 else len(text)].split())


# --- spelling ----------------------------------------------------------------------------------------------

def spelling_score(acronym: str, words: list[str], *, strict: bool = False) -> float | None:
    """How well `words` spell `acronym`: the mean credit per letter (1 for a word initial, less for a
    compound part's), minus a cost per content word left out; None if they cannot spell it at all.

    Each word gives its initial and then, optionally, initials of its later compound parts; small words
    (i, och, för) may give nothing. `strict` allows no letters from inside unsplit words and no left-out words.
    """
    cleaned = tuple(w.strip(",.;:()\"'”“").casefold() for w in words)
    if not cleaned or not cleaned[0] or cleaned[0] in _SMALL or cleaned[0] in STOP_WORDS:
        return None
    # The first word must give the first letter: an expansion starts where the acronym does.
    total = _give(tuple(acronym.casefold()), cleaned[0], cleaned[1:], strict)
    return None if total is None else total / len(acronym)


@lru_cache(maxsize=65536)
def _spell(letters: tuple[str, ...], words: tuple[str, ...], strict: bool) -> float | None:
    """Best total credit for spelling `letters` with all of `words`, in order (None: impossible)."""
    if not words:
        return 0.0 if not letters else None
    word, rest = words[0], words[1:]
    options: list[float] = []
    if not word[:1].isalpha() or word in _SMALL or not strict:
        # The word gives no letter: free for small words and punctuation, a cost for content words.
        skip = _spell(letters, rest, strict)
        if skip is not None:
            options.append(skip - (0.0 if word in _SMALL or not word[:1].isalpha() else SKIPPED))
    given = _give(letters, word, rest, strict)
    if given is not None:
        options.append(given)
    return max(options, default=None)


def _give(letters: tuple[str, ...], word: str, rest: tuple[str, ...], strict: bool) -> float | None:
    """Best total credit when `word` gives the first letter (and maybe more) and `rest` the others."""
    if not letters or word[:1] != letters[0]:
        return None
    options = []
    for credit, used in _word_spellings(word, letters[1:], strict):
        after = _spell(letters[1 + used:], rest, strict)
        if after is not None:
            options.append(WORD + credit + after)
    return max(options, default=None)


def _word_spellings(word: str, letters: tuple[str, ...], strict: bool) -> list[tuple[float, int]]:
    """After a word's initial: (credit, letters used) for each run of its later initials it can give."""
    spellings = [(0.0, 0)]
    starts = _part_starts(word)
    credit_each = PART
    if not starts and not strict and len(word) >= 8:
        starts, credit_each = _syllable_starts(word), INNER
    credit, pos, used = 0.0, 0, 0
    for letter in letters:
        nxt = next((s for s in starts if s > pos and word[s] == letter), None)
        if nxt is None:
            break
        credit, pos, used = credit + credit_each, nxt, used + 1
        spellings.append((credit, used))
    return spellings


@lru_cache(maxsize=16384)
def _part_starts(word: str) -> tuple[int, ...]:
    """Where a word's later parts start: after hyphens (ESF-rådet), and compound parts (samhälls|omställning)."""
    starts = [m.end() for m in re.finditer(r"-(?=\w)", word)]
    for piece_start, piece in _pieces(word):
        parts = decompound(piece) if piece.isalpha() else ()
        pos = 0
        for part in parts[1:]:
            found = piece.find(part[:3], pos + 2)
            if found < 0:
                break
            starts.append(piece_start + found)
            pos = found
    return tuple(sorted(set(starts)))


def _pieces(word: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"[^-]+", word)]


def _syllable_starts(word: str) -> tuple[int, ...]:
    """For a one-word name the decompounder does not know (Nordkalottrådet): any letter with three on each side."""
    return tuple(range(3, len(word) - 2)) if word.isalpha() else ()


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
    for acronym, entries in candidates.items():
        counts = Counter(e.expansion.casefold() for e in entries)
        if entries:
            out.append(max(entries, key=lambda e: (counts[e.expansion.casefold()], e.score)))
    return out


def _phrases(acronym: str, chunk: Chunk) -> list[GlossaryEntry]:
    """Every phrase of the chunk (text or headings) that spells `acronym` with initials only."""
    out = []
    for source in (chunk.text, *chunk.heading_path):
        tokens = list(re.finditer(r"[\wÅÄÖåäö-]+", source))
        for i, first in enumerate(tokens):
            if first.group()[:1].casefold() != acronym[0].casefold() or first.group().casefold() in STOP_WORDS:
                continue
            for window in (tokens[i:i + n] for n in range(1, len(acronym) + 2)):
                if _BOUNDARY.search(source[first.start():window[-1].end()]):
                    break
                score = spelling_score(acronym, [t.group() for t in window], strict=True)
                if score is not None and score >= MIN_INFERRED:
                    sentence = _sentence_at(source, first.start()) if source is chunk.text else source
                    out.append(_make(chunk, acronym, source[first.start():window[-1].end()], sentence, score, True))
    return out
