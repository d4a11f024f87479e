"""Feedback on answers: an append-only JSONL log, and draft eval-set lines made from it.

Each 👍/👎 in the chat appends one line; a comment written after the rating appends the same record again
with the comment, under the same id (readers keep the last line per id)::

    {"id": "3f2a…", "timestamp": "2025-01-31T10:12:03+00:00", "question": "Vem äger SAM?", "resolved_question": "...",
     "answer": "...", "answered": true, "rating": "👍", "comment": "", "citations": [
        {"n": 1, "chunk_id": "…", "document": "vasternorrland-hso-och-sam.txt", "quote": "…"}]}

`draft_eval_lines` turns the logged questions into lines in the `evals/datasets/*.jsonl` format, tagged
"draft": the evidence is prefilled from the cited quote, the facts are left for a human to write.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer import Answer
from regionkunskap.errors import FeedbackError

RATINGS = ("👍", "👎")
MAX_COMMENT_CHARS = 2000


class FeedbackLog:
    """The append-only feedback file; safe to share between the chat's worker threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, answer: Answer, rating: str, comment: str = "", record_id: str | None = None) -> dict:
        """Log one rating of `answer` (or, with the `record_id` of an earlier one, replace it, say to add a
        comment); returns the record written."""
        if rating not in RATINGS:
            raise FeedbackError(f"unknown rating {rating!r}; use one of {', '.join(RATINGS)}")
        record = feedback_record(answer, rating, comment, record_id)
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # One write per line, in append mode: concurrent writers never interleave inside a line.
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(line)
        except OSError as exc:
            raise FeedbackError(
                f"cannot write the feedback log {self.path}: {exc.strerror}; "
                "check REGIONKUNSKAP_FEEDBACK_LOG and the folder's permissions"
            ) from exc
        return record


def feedback_record(answer: Answer, rating: str, comment: str = "", record_id: str | None = None) -> dict:
    """The JSON object logged for one rating."""
    return {
        "id": record_id or uuid.uuid4().hex,
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "question": answer.question,
        "resolved_question": answer.resolved_question or answer.question,
        "answer": answer.text,
        "answered": answer.answered,
        "rating": rating,
        "comment": " ".join(comment.split())[:MAX_COMMENT_CHARS],
        "citations": [
            {"n": c.n, "chunk_id": c.passage.chunk.id, "document": c.passage.chunk.doc_id, "quote": c.quote}
            for c in answer.citations
        ],
    }


def read_feedback(path: Path) -> list[dict]:
    """The logged records, oldest first; a line that is not JSON (a torn write) is skipped, and a record
    logged again under the same id (a rating with its comment added) replaces the earlier line."""
    path = Path(path)
    if not path.exists():
        raise FeedbackError(
            f"there is no feedback log at {path} yet; rate an answer in the chat first "
            "(or set REGIONKUNSKAP_FEEDBACK_LOG)"
        )
    records: dict[object, dict] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get("question"), str) and obj["question"].strip():
            key = obj.get("id") if isinstance(obj.get("id"), str) else number  # older lines have no id
            records[key] = obj  # a replacement keeps the place of the line it replaces
    return list(records.values())


def draft_eval_lines(records: Iterable[dict]) -> list[dict]:
    """One draft eval line per distinct question, in order of first feedback.

    The id is derived from the question, so running this again yields the same ids. A question the
    assistant answered drafts as answerable with the cited quotes as evidence; one it could not answer
    drafts as unanswerable — a human decides, and writes the facts, before the line joins the eval set.
    """
    drafts: dict[str, dict] = {}
    for record in records:
        # A follow-up ("Och när slutar det?") only makes sense with its subject: draft the resolved form.
        question = " ".join((record.get("resolved_question") or record["question"]).split())
        key = question.casefold()
        draft = drafts.setdefault(key, _new_draft(question, record))
        tag = f"feedback:{record.get('rating', '')}"
        if tag not in draft["tags"]:
            draft["tags"].append(tag)
        if record.get("comment"):
            draft.setdefault("comments", []).append(record["comment"])
    return list(drafts.values())


def write_drafts(drafts: Iterable[dict], path: Path) -> int:
    """Append the drafts whose id the file does not hold yet; returns how many were added."""
    path = Path(path)
    present = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                present.add(json.loads(line).get("id"))
            except (json.JSONDecodeError, AttributeError):
                continue
    new = [d for d in drafts if d["id"] not in present]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in new)
    except OSError as exc:
        raise FeedbackError(f"cannot write {path}: {exc.strerror}") from exc
    return len(new)


def _new_draft(question: str, record: dict) -> dict:
    answered = bool(record.get("answered"))
    evidence = [c["quote"] for c in record.get("citations", []) if c.get("quote")][:2] if answered else []
    return {
        "id": "draft-" + hashlib.sha256(question.casefold().encode("utf-8")).hexdigest()[:10],
        "question": question,
        "answerable": answered,
        "facts": [],
        "evidence": evidence,
        "tags": ["draft"],
    }
