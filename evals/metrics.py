"""Scoring for the eval set: text matching, retrieval rank, citations and the run summary.

Pure functions only (no I/O, no project imports) so they can be tested on hand-made cases.
Matching is done on `normalize`d text: NFC, casefolded, whitespace collapsed and Swedish number
forms made canonical, so "112,5" = "112.5", "56 000 000" = "56000000" and "2019–2023" = "2019-2023".
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

# NBSP, thin space and narrow NBSP are used as digit-group separators in Swedish typography;
# en/em dashes and the minus sign stand in for "-" in ranges ("2019–2023") and names; soft
# hyphens from PDF extraction are invisible and dropped.
_CHAR_MAP = str.maketrans(
    {"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00ad": None}
)
_WS = re.compile(r"\s+")
# A digit group: 1–3 leading digits, then groups of exactly three, e.g. "56 000 000".
# The lookarounds keep "2022 2023" and "070-597 37 11" apart.
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])(\d{1,3})((?: \d{3})+)(?!\d)")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_NUMBER_DASH = re.compile(r"(?<=\d) ?- ?(?=\d)")
_PERCENT = re.compile(r"(?<=\d) %")

ALTERNATIVE_SEP = "|"
MRR_CUTOFF = 10


def normalize(text: str) -> str:
    """Canonical form for matching: NFC, casefold, one space, Swedish numbers unified."""
    text = unicodedata.normalize("NFC", text).translate(_CHAR_MAP).casefold()
    text = _WS.sub(" ", text).strip()
    text = _DIGIT_GROUPS.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)
    text = _DECIMAL_COMMA.sub(".", text)
    text = _NUMBER_DASH.sub("-", text)
    return _PERCENT.sub("%", text)


def _needle_pattern(needle: str) -> re.Pattern[str]:
    """A regex for a normalised needle that may not start inside a word or a number.

    The right side stays open on purpose: Swedish inflects with suffixes ("Härnösands",
    "HSO-projektet"), but a number must end where the needle's number ends ("45" ≠ "450").
    """
    pattern = re.escape(needle)
    if needle[:1].isalnum():
        pattern = r"(?<!\w)" + (r"(?<!\d\.)" if needle[0].isdigit() else "") + pattern
    if needle[-1:].isdigit():
        pattern += r"(?!\.?\d)"
    return re.compile(pattern)


def contains(haystack: str, needle: str) -> bool:
    """Whether `needle` occurs in `haystack` after normalising both (an empty needle never does)."""
    norm = normalize(needle)
    if not norm:
        return False
    return _needle_pattern(norm).search(normalize(haystack)) is not None


def fact_alternatives(fact: str) -> list[str]:
    """The accepted spellings of one fact: `"112,5 | 112.5"` → `["112,5", "112.5"]`."""
    return [alt.strip() for alt in fact.split(ALTERNATIVE_SEP) if alt.strip()]


def fact_ok(answer: str, fact: str) -> bool:
    """Whether the answer contains the fact (any one of its ` | ` alternatives)."""
    return any(contains(answer, alt) for alt in fact_alternatives(fact))


def facts_ok(answer: str, facts: Iterable[str]) -> bool:
    """Whether the answer contains every fact (vacuously true for no facts)."""
    return all(fact_ok(answer, fact) for fact in facts)


def _first_position(passages: Sequence[str], evidence: str) -> int | None:
    """1-based position of the first passage holding `evidence`, or None."""
    for position, passage in enumerate(passages, start=1):
        if contains(passage, evidence):
            return position
    return None


def evidence_rank(passages: Sequence[str], evidence: Sequence[str], k: int = 10) -> int | None:
    """Smallest r such that the top r passages together hold every evidence string.

    Each evidence string must sit inside one passage (strings are not matched across passage
    boundaries). None when the evidence is empty or not covered within the top k.
    """
    if not evidence:
        return None
    positions = [_first_position(passages[:k], ev) for ev in evidence]
    if any(p is None for p in positions):
        return None
    return max(p for p in positions if p is not None)


def citation_ok(cited_passages: Sequence[str], evidence: Sequence[str]) -> bool:
    """Whether every evidence string occurs in one of the cited passages (true for no evidence)."""
    return all(_first_position(cited_passages, ev) is not None for ev in evidence)


@dataclass
class ResultRecord:
    """One question's outcome; the first seven fields are the runner's JSON result keys.

    `rank` is the evidence rank (None: not found in the top k, or no evidence); `answerable`
    and `has_evidence` come from the dataset and decide which metrics the record counts in.
    """

    id: str
    rank: int | None
    answered: bool
    answer: str
    facts_ok: bool
    citation_ok: bool
    ms: float
    answerable: bool = True
    has_evidence: bool = True

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResultRecord:
        """Build from a JSON result object, ignoring keys the record does not know."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def score_question(
    *,
    qid: str,
    answerable: bool,
    facts: Sequence[str],
    evidence: Sequence[str],
    passages: Sequence[str],
    answered: bool,
    answer: str,
    cited_passages: Sequence[str],
    ms: float,
    k: int = 10,
) -> ResultRecord:
    """Score one question from what the assistant returned (retrieved and cited passage texts)."""
    return ResultRecord(
        id=qid,
        rank=evidence_rank(passages, evidence, k) if answerable else None,
        answered=answered,
        answer=answer,
        facts_ok=answered and facts_ok(answer, facts),
        citation_ok=answered and citation_ok(cited_passages, evidence),
        ms=ms,
        answerable=answerable,
        has_evidence=bool(evidence),
    )


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _percentile(values: Sequence[float], q: int) -> float | None:
    """The q-th percentile by linear interpolation between the closest ranks (numpy's default); None for none."""
    if len(values) < 2:  # statistics.quantiles needs two points before Python 3.13
        return float(values[0]) if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _hits(ranks: Sequence[int | None], cutoff: int) -> int:
    return sum(1 for r in ranks if r is not None and r <= cutoff)


def _retrieval(records: Sequence[ResultRecord]) -> dict[str, float | None]:
    """hit@1, hit@5 and mrr@10 over answerable questions that have evidence."""
    ranks = [r.rank for r in records if r.answerable and r.has_evidence]
    if not ranks:
        return {"hit@1": None, "hit@5": None, "mrr@10": None}
    return {
        "hit@1": _hits(ranks, 1) / len(ranks),
        "hit@5": _hits(ranks, 5) / len(ranks),
        "mrr@10": sum(1 / r for r in ranks if r is not None and r <= MRR_CUTOFF) / len(ranks),
    }


def summarize(results: Sequence[ResultRecord]) -> dict[str, Any]:
    """The run summary.

    Keys: questions, hit@1, hit@5, mrr@10, fact_accuracy, citation_support,
    abstention_accuracy, false_abstention_rate, p50_ms, p95_ms. Rates are fractions in
    [0, 1]; a rate whose denominator is empty (say, no unanswerable questions) is None,
    meaning "not measured" rather than 0.0. fact_accuracy and citation_support only credit
    questions that were answered, whatever the record's own flags say.
    """
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    answered = [r for r in answerable if r.answered]
    return {
        "questions": len(results),
        **_retrieval(results),
        "fact_accuracy": _ratio(sum(1 for r in answered if r.facts_ok), len(answerable)),
        "citation_support": _ratio(sum(1 for r in answered if r.citation_ok), len(answered)),
        "abstention_accuracy": _ratio(sum(1 for r in unanswerable if not r.answered), len(unanswerable)),
        "false_abstention_rate": _ratio(len(answerable) - len(answered), len(answerable)),
        "p50_ms": _percentile([r.ms for r in results], 50),
        "p95_ms": _percentile([r.ms for r in results], 95),
    }
