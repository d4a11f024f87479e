"""Run an eval set through the Assistant and report retrieval, answer and latency metrics.

    run = run_eval(assistant, load_dataset(path), k=10)
    print(format_summary(run.summary)); Path("out.json").write_text(json.dumps(run.as_json()))

The runner depends on nothing but the dataset file and the assistant (hence the store): the same
Assistant the chat uses, so the numbers describe what staff see.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from tqdm import tqdm

from evals.dataset import EvalQuestion
from evals.metrics import ResultRecord, score_question, summarize

# The per-question keys other tools read, in order.
RESULT_KEYS = (
    "id",
    "rank",
    "answered",
    "answer",
    "facts_ok",
    "citation_ok",
    "ms",
    "kind",
    "answer_kind",
    "decline_reason",
    "confidence",
)
SUMMARY_KEYS = (
    "questions",
    "hit@1",
    "hit@5",
    "mrr@10",
    "fact_accuracy",
    "citation_support",
    "abstention_accuracy",
    "false_abstention_rate",
    "wrong_answer_rate",
    "p50_ms",
    "p95_ms",
)
# What the per-kind breakdown shows for each question kind (a question's first tag).
KIND_KEYS = ("questions", "hit@5", "fact_accuracy", "false_abstention_rate", "wrong_answer_rate")


@dataclass
class EvalRun:
    """One configuration's results over a dataset."""

    questions: list[EvalQuestion]
    records: list[ResultRecord]
    summary: dict
    # Per question: the shape the answer took ("fact", "list", …), why a decline was one ("" if answered) and
    # the confidence model's probability that the answer is right (what a threshold is chosen from).
    answer_kinds: list[str] = field(default_factory=list)
    decline_reasons: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)

    def by_kind(self) -> dict[str, dict]:
        """The summary per question kind — a question's first tag ("amount", "list", "unanswerable" …)."""
        groups: dict[str, list[ResultRecord]] = {}
        for q, r in zip(self.questions, self.records, strict=True):
            groups.setdefault(kind_of(q), []).append(r)
        return {kind: {key: summarize(records)[key] for key in KIND_KEYS} for kind, records in sorted(groups.items())}

    def as_json(self) -> dict:
        """`{"summary": {...}, "by_kind": {kind: {...}}, "results": [{"id", "rank", "answered", "answer", …}]}`."""
        results = []
        for i, (q, r) in enumerate(zip(self.questions, self.records, strict=True)):
            item = asdict(r) | {
                "kind": kind_of(q),
                "answer_kind": _at(self.answer_kinds, i),
                "decline_reason": _at(self.decline_reasons, i),
                "confidence": round(_at(self.confidences, i, 0.0), 3),
            }
            item["ms"] = round(item["ms"], 1)
            results.append({key: item[key] for key in RESULT_KEYS})
        by_kind = {kind: {key: _round(v) for key, v in row.items()} for kind, row in self.by_kind().items()}
        return {
            "summary": {key: _round(self.summary[key]) for key in SUMMARY_KEYS},
            "by_kind": by_kind,
            "results": results,
        }

    def failures(self) -> list[tuple[EvalQuestion, ResultRecord, str]]:
        """Questions that went wrong, with a short reason each."""
        out = []
        for q, r in zip(self.questions, self.records, strict=True):
            if q.answerable and not r.answered:
                out.append((q, r, "declined an answerable question"))
            elif q.answerable and not r.facts_ok:
                out.append((q, r, "answer lacks a fact"))
            elif q.answerable and not r.citation_ok and q.evidence:
                out.append((q, r, "citations lack the evidence"))
            elif not q.answerable and r.answered:
                out.append((q, r, "answered an unanswerable question"))
        return out


def run_eval(assistant, questions: Sequence[EvalQuestion], *, k: int = 10, progress: bool = False) -> EvalRun:
    """Ask every question (top `k` passages) and score it."""
    records, kinds, reasons, confidences = [], [], [], []
    for q in tqdm(questions, desc="Frågor", unit="fråga", disable=not progress):
        started = time.perf_counter()
        answer = assistant.ask(q.question, k=k)
        ms = (time.perf_counter() - started) * 1000
        kinds.append(answer.kind if answer.answered else "")
        reasons.append(answer.decline_reason)
        confidences.append(answer.confidence)
        records.append(
            score_question(
                qid=q.id,
                answerable=q.answerable,
                facts=q.facts,
                evidence=q.evidence,
                passages=[p.text for p in answer.passages],
                answered=answer.answered,
                answer=answer.text,
                cited_passages=[c.passage.text for c in answer.citations] if answer.answered else [],
                ms=ms,
                k=k,
            )
        )
    return EvalRun(list(questions), records, summarize(records), kinds, reasons, confidences)


def kind_of(question: EvalQuestion) -> str:
    """A question's kind for the breakdown: its first tag, or "untagged"."""
    return question.tags[0] if question.tags else "untagged"


def _at(values: list, i: int, default=""):
    return values[i] if i < len(values) else default


def format_summary(summary: dict, title: str = "") -> str:
    """A readable two-column table of the summary."""
    lines = [title] if title else []
    for key in SUMMARY_KEYS:
        lines.append(f"  {key:<22} {show(key, summary.get(key))}")
    return "\n".join(lines)


def format_by_kind(run: EvalRun) -> str:
    """One row per question kind: how many, how often the passage was found, answered right, or wrong."""
    rows = run.by_kind()
    width = max((len(kind) for kind in rows), default=4) + 2
    lines = ["  " + "kind".ljust(width) + "".join(f"{key:>24}" for key in KIND_KEYS)]
    for kind, row in rows.items():
        lines.append("  " + kind.ljust(width) + "".join(f"{show(key, row[key]):>24}" for key in KIND_KEYS))
    return "\n".join(lines)


def format_failures(run: EvalRun, limit: int = 200) -> str:
    """Each failure with its question, expected facts and what was answered."""
    lines = []
    for q, r, why in run.failures()[:limit]:
        expected = "; ".join(q.facts) if q.facts else "(should decline)"
        got = " ".join(r.answer.split())
        lines.append(f"✗ {q.id} [{why}] {q.question}\n    expected: {expected}\n    answered: {got[:300]}")
    return "\n".join(lines)


def show(key: str, value) -> str:
    """A metric for a table: rates with 3 decimals, milliseconds with 1."""
    if value is None:
        return "n/a"
    if key.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _round(value):
    return round(value, 4) if isinstance(value, float) else value
