"""Summaries of a whole document: "Sammanfatta återrapporteringen för 2022".

An overview question about a topic is answered from the passages retrieved for it (`overview`). A request to
summarize a *document* — a summary command whose other words all name one document (its title, organisation,
type, region or year) — is answered from the whole document instead, since no ten passages stand for a report
of 45 pages, and the passages that match "sammanfatta" best are the ones that say "sammanfattande".

What is quoted, by the sentence vectors ingest stored with every chunk:

- a document with main sections (at least two, each with `MIN_SECTION` sentences): from each of its largest
  `MAX_SENTENCES` sections, in the document's order, the sentence that most says what its section says and least
  what the whole document says (closeness to the section's mean sentence vector, less `DISTINCT` times closeness
  to the document's) — "Under 2022 fördelades anslaget enligt följande: …" for the section on the grant, not a
  sentence every section could hold;
- a document without sections: its 2–4 most central sentences, each unlike those chosen before (maximal
  marginal relevance), none repeating another's words.

Only complete prose sentences are chosen (a capital first, a full stop last, `MIN_CHARS`–`MAX_CHARS_EACH`
characters) and no questions: "Hur resultat … har tagits till vara …" in a report is the form's prompt, not
what the region did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer import Passage
from assistant.answering.overview import MAX_CHARS, MAX_SENTENCES, repeats
from assistant.answering.questions import OVERVIEW, Question
from ingest.indexing.unit_vectors import unpack
from ingest.swedish.analysis import terms_of, tokenize
from ingest.swedish.sentences import Sentence, split_sentences

MIN_CHARS = 40
MAX_CHARS_EACH = 260
# A section with fewer prose sentences than this is too small to stand for a part of the document.
MIN_SECTION = 3
# How much closeness to the whole document counts against a section's sentence.
DISTINCT = 0.6
# How much likeness to a sentence already chosen counts against the next (documents without sections).
REDUNDANCY = 0.5
# Words of the request itself ("Ge mig en kort sammanfattning av …") and words that name a document without
# saying which ("dokumentet"): they need not be in its metadata.
_REQUEST_WORDS = frozenset(
    t
    for w in "ge ges mig oss kort kortfattat kortfattad snabbt dokument dokumentet text texten fil filen "
    "give me us brief short briefly quick document text file please".split()
    for t in terms_of(w)[:1]
)
_QUESTION_OPENINGS = frozenset(
    "hur vad vilka vilken vilket varför när var vem vems how what which why when where who".split()
)


@dataclass(frozen=True)
class Unit:
    """A prose sentence of the document with its passage, its vector and the main section it is in."""

    passage: Passage
    sentence: Sentence
    vector: np.ndarray
    section: str


def summarized_document(question: Question, passages: Sequence[Passage]) -> str | None:
    """The document a summary request names (the best-ranked one whose metadata holds all its words), or None."""
    if question.kind != OVERVIEW or not question.summary:
        return None
    asked = [g[0] for g in question.words if g[0] not in _REQUEST_WORDS]
    subjects = [t for s in question.subjects for token in s for t in terms_of(token)[:1]]
    if not asked:
        return None
    for passage in passages:
        meta = passage.chunk.meta
        named = _terms(" ".join(map(str, (meta.title, meta.organisation, meta.doc_type, meta.region, meta.year))))
        if all(t in named for t in [*asked, *subjects]):
            return passage.chunk.doc_id
    return None


def summarize(passages: Sequence[Passage], dimension: int) -> list[tuple[Passage, Sentence]]:
    """2–4 sentences of one document (`passages`: all its chunks) that together say what it is about, in order."""
    units = _prose_units(passages, dimension)
    if len(units) < 2:
        return []
    vectors = np.array([u.vector for u in units])
    whole = _direction(vectors)
    sections: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        sections.setdefault(u.section, []).append(i)
    large = [s for s in sections if s and len(sections[s]) >= MIN_SECTION]
    if len(large) >= 2:
        kept = set(sorted(large, key=lambda s: -len(sections[s]))[:MAX_SENTENCES])
        chosen = [_distinctive(vectors, sections[s], whole, units) for s in large if s in kept]
    else:
        chosen = _central(vectors, whole, units)
    return [(units[i].passage, units[i].sentence) for i in sorted(chosen)]


def _distinctive(vectors: np.ndarray, indices: list[int], whole: np.ndarray, units: list[Unit]) -> int:
    """The sentence of a section closest to the section's centre and least like the whole document."""
    room = MAX_CHARS // MAX_SENTENCES
    fitting = [i for i in indices if len(units[i].sentence.text) <= room] or indices
    centre = _direction(vectors[indices])
    return max(fitting, key=lambda i: float(vectors[i] @ centre - DISTINCT * vectors[i] @ whole))


def _central(vectors: np.ndarray, whole: np.ndarray, units: list[Unit]) -> list[int]:
    """Up to `MAX_SENTENCES` central sentences, each unlike those before, within `MAX_CHARS` in all."""
    chosen: list[int] = []
    room = MAX_CHARS
    centrality = vectors @ whole
    while len(chosen) < MAX_SENTENCES:
        open_ = [i for i in range(len(units)) if i not in chosen and len(units[i].sentence.text) + 6 <= room]
        open_ = [i for i in open_ if not any(repeats(units[i].sentence.text, units[j].sentence.text) for j in chosen)]
        if not open_:
            break
        best = max(open_, key=lambda i: centrality[i] - REDUNDANCY * _likeness(vectors, i, chosen))
        chosen.append(best)
        room -= len(units[best].sentence.text) + 6
    return chosen


def _likeness(vectors: np.ndarray, i: int, chosen: list[int]) -> float:
    return max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)


def _prose_units(passages: Sequence[Passage], dimension: int) -> list[Unit]:
    """The document's complete prose sentences that have vectors, in the document's order."""
    units = []
    for passage in sorted(passages, key=lambda p: p.chunk.start):
        vectors = unpack(passage.chunk.unit_vectors, dimension)
        sentences = split_sentences(passage.text)
        if vectors is None or len(vectors) != len(sentences):  # none stored, or by another splitter version
            continue
        section = passage.chunk.heading_path[0] if passage.chunk.heading_path else ""
        units += [Unit(passage, s, v, section) for s, v in zip(sentences, vectors, strict=True) if _prose(s)]
    return units


def _prose(sentence: Sentence) -> bool:
    text = sentence.text.strip()
    if sentence.kind != "sentence" or not MIN_CHARS <= len(text) <= MAX_CHARS_EACH:
        return False
    first = text.split(maxsplit=1)[0].casefold()
    return text[0].isupper() and text[-1] in ".!" and first not in _QUESTION_OPENINGS


def _direction(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0)
    return mean / (np.linalg.norm(mean) + 1e-12)


def _terms(text: str) -> set[str]:
    return {t for token in tokenize(text) for t in terms_of(token)}
