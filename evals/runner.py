"""Run an eval set through the Assistant and report retrieval, answer and latency metrics.

    run = run_eval(assistant, load_dataset(path), k=10)
    print(format_summary(run.summary)); Path("out.json").write_text(json.dumps(run.as_json()))

The runner depends on nothing but the dataset file and the assistant (hence the store): the same
Assistant the chat uses, so the numbers describe what staff see.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from tqdm import tqdm

from evals.dataset import EvalQuestion
from evals.metrics import ResultRecord, score_question, summarize

# The per-question keys other tools read, in order.
RESULT_KEYS = ("id", "rank", "answered", "answer", "facts_ok", "citation_ok", "ms")
SUMMARY_KEYS = (
    "questions", "hit@1", "hit@5", "mrr@10", "fact_accuracy", "citation_support",
    "abstention_accuracy", "false_abstention_rate", "p50_ms", "p95_ms",
)


@dataclass
class EvalRun:
    """One configuration's results over a dataset."""

    questions: list[EvalQuestion]
    records: list[ResultRecord]
    summary: dict

    def as_json(self) -> dict:
        """`{"summary": {...}, "results": [{"id", "rank", "answered", "answer", "facts_ok", "citation_ok", "ms"}]}`."""
        results = [{key: asdict(r)[key] for key in RESULT_KEYS} for r in self.records]
        for item in results:
            item["ms"] = round(item["ms"], 1)
        return {"summary": {key: _round(self.summary[key]) for key in SUMMARY_KEYS}, "results": results}

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
    records = []
    for q in tqdm(questions, desc="Frågor", unit="fråga", disable=not progress):
        started = time.perf_counter()
        answer = assistant.ask(q.question, k=k)
        ms = (time.perf_counter() - started) * 1000
        records.append(score_question(
            qid=q.id, answerable=q.answerable, facts=q.facts, evidence=q.evidence,
            passages=[p.text for p in answer.passages], answered=answer.answered, answer=answer.text,
            cited_passages=[c.passage.text for c in answer.citations] if answer.answered else [],
            ms=ms, k=k,
        ))
    return EvalRun(list(questions), records, summarize(records))


def format_summary(summary: dict, title: str = "") -> str:
    """A readable two-column table of the summary."""
    lines = [title] if title else []
    for key in SUMMARY_KEYS:
        lines.append(f"  {key:<22} {show(key, summary.get(key))}")
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
