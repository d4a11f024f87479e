"""What the assistant returns: retrieved passages, citations and the answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.types import Chunk

NOT_FOUND_SV = "Jag hittar inget svar på det i dokumenten."
# The shapes an answer takes: a fact quoted from one sentence, a list of items ("- item [n]" lines after a
# lead-in), an overview of a few sentences, a contact block (person, role, e-mail, phone), an acronym's
# definition.
KINDS = ("fact", "list", "overview", "contact", "definition")
# Why a question was declined: nothing in the store is close to it (off topic: no passages worth showing),
# passages are close but no sentence answers it, it asks nothing, or it is in a language we do not answer.
DECLINE_REASONS = ("off_topic", "no_answer", "contentless", "language")
NOT_FOUND_EN = "I cannot find an answer to that in the documents."


@dataclass
class Passage:
    """A retrieved chunk with its fused score and the scores it came from."""

    chunk: Chunk
    score: float
    rank: int
    dense_score: float | None = None
    bm25_score: float | None = None

    @property
    def text(self) -> str:
        return self.chunk.text

    def to_json(self) -> dict:
        c = self.chunk
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "chunk_id": c.id,
            "document": c.doc_id,
            "title": c.meta.title,
            "section": c.section,
            "page": c.page,
            "page_estimated": c.page_estimated,
            "text": c.text,
            "dense_score": _round(self.dense_score),
            "bm25_score": _round(self.bm25_score),
        }


@dataclass
class Citation:
    """One numbered source of an answer: the quoted sentence and the passage it stands in."""

    n: int
    passage: Passage
    quote: str
    # Character span of `quote` inside the passage text, for highlighting.
    quote_start: int = 0
    quote_end: int = 0

    def to_json(self) -> dict:
        c = self.passage.chunk
        return {
            "n": self.n,
            "document": c.doc_id,
            "title": c.meta.title,
            "section": c.section,
            "page": c.page,
            "quote": self.quote,
            "text": c.text,
            "score": round(self.passage.score, 4),
            "chunk_id": c.id,
            "page_estimated": c.page_estimated,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
        }


@dataclass
class Answer:
    """The assistant's reply to one question."""

    question: str
    answered: bool
    text: str
    language: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    question_type: str = "other"
    # True when cited passages disagree (e.g. two different periods for the same project).
    conflict: bool = False
    # The question after follow-up context was resolved (what retrieval actually saw).
    resolved_question: str = ""
    kind: str = "fact"  # one of KINDS; a list answer's text holds one "- item [n]" line per item
    decline_reason: str = ""  # one of DECLINE_REASONS when not answered, else ""
    # How likely the answer is right, by the learned confidence model (0–1); answers below its threshold
    # are declined.
    confidence: float = 0.0

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "resolved_question": self.resolved_question or self.question,
            "answered": self.answered,
            "answer": self.text,
            "language": self.language,
            "question_type": self.question_type,
            "kind": self.kind,
            "decline_reason": self.decline_reason,
            "confidence": round(self.confidence, 3),
            "conflict": self.conflict,
            "citations": [c.to_json() for c in self.citations],
            "passages": [p.to_json() for p in self.passages],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
