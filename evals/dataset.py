"""The eval set: JSONL questions with the facts a correct answer holds and the evidence behind it.

One JSON object per line::

    {"id": "rk-001", "question": "...", "answerable": true,
     "facts": ["112,5 | 112.5"], "evidence": ["Den totala budgeten för hela projektet"],
     "tags": ["budget", "doc:green-deal"]}

`id` and `question` are required; `answerable` defaults to true; `facts`, `evidence` and `tags`
default to empty lists; unknown keys are allowed and ignored. An answerable question needs at
least one fact; an unanswerable one must have no facts and no evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regionkunskap.errors import DatasetError

DEFAULT_DATASET = Path(__file__).parent / "datasets" / "regionkunskap.jsonl"


@dataclass(frozen=True)
class EvalQuestion:
    """One question of the eval set."""

    id: str
    question: str
    answerable: bool = True
    facts: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def _string(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        raise DatasetError(f"{where}: missing required field {key!r}")
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    return value


def _string_list(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DatasetError(f"{where}: {key!r} must be a list of non-empty strings, got {value!r}")
    return tuple(value)


def parse_question(obj: Any, where: str) -> EvalQuestion:
    """Validate one decoded JSON line; `where` ("file:line") prefixes every error."""
    if not isinstance(obj, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    answerable = obj.get("answerable", True)
    if not isinstance(answerable, bool):
        raise DatasetError(f"{where}: 'answerable' must be true or false, got {answerable!r}")
    question = EvalQuestion(
        id=_string(obj, "id", where),
        question=_string(obj, "question", where),
        answerable=answerable,
        facts=_string_list(obj, "facts", where),
        evidence=_string_list(obj, "evidence", where),
        tags=_string_list(obj, "tags", where),
    )
    if answerable and not question.facts:
        raise DatasetError(f"{where}: answerable question {question.id!r} needs at least one fact")
    if not answerable and (question.facts or question.evidence):
        raise DatasetError(f"{where}: unanswerable question {question.id!r} must have no facts or evidence")
    return question


def load_dataset(path: str | Path = DEFAULT_DATASET) -> list[EvalQuestion]:
    """Read and validate a JSONL eval set; raises DatasetError naming the file and line."""
    path = Path(path)
    questions: list[EvalQuestion] = []
    seen: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file — check --dataset (the bundled set is {DEFAULT_DATASET})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(
            f"{path}: cannot read it as UTF-8 JSONL ({exc.__class__.__name__}); save it as UTF-8"
        ) from None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
        question = parse_question(obj, where)
        if question.id in seen:
            raise DatasetError(f"{where}: duplicate id {question.id!r} (first on line {seen[question.id]})")
        seen[question.id] = lineno
        questions.append(question)
    return questions
