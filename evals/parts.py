"""Tuning and check parts of an eval set, so answer weights are learned on one part and reported on the other.

Two ways to split, both deterministic and independent of the questions' wording:

- by id: the number an id ends in, odd or even (`rk-017` is odd) — the project's own set, whose questions
  share five documents, is split this way;
- by document: each question belongs to the corpus file that holds its evidence, and a file is in the
  tuning part when the last hex digit of the SHA-1 of its name is even, else in the check part — so no
  document's text is seen in both parts (the SweQUAD-MC development set is split this way).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from evals.dataset import EvalQuestion
from evals.metrics import normalize
from regionkunskap.errors import ConfigError

ID_PARTS = ("odd", "even")
DOCUMENT_PARTS = ("tuning", "check")
PARTS = ID_PARTS + DOCUMENT_PARTS


def id_part(qid: str) -> str:
    """ "odd" or "even" by the number an id ends in."""
    match = re.search(r"(\d+)$", qid)
    if match is None:
        raise ConfigError(f"question id {qid!r} does not end in a number; --part odd/even needs ids like 'rk-017'")
    return "odd" if int(match.group(1)) % 2 else "even"


def document_part(file_name: str) -> str:
    """ "tuning" or "check" for a corpus file, by the SHA-1 of its name."""
    return "tuning" if int(hashlib.sha1(file_name.encode("utf-8")).hexdigest()[-1], 16) % 2 == 0 else "check"


def evidence_documents(corpus: Path, questions: Sequence[EvalQuestion]) -> dict[str, str]:
    """For each question id, the name of the corpus file holding its first evidence string (or first fact)."""
    texts = {p.name: normalize(p.read_text(encoding="utf-8", errors="replace")) for p in sorted(corpus.rglob("*.txt"))}
    found = {}
    for q in questions:
        needle = normalize((q.evidence or q.facts or ("",))[0])
        found[q.id] = next((name for name, text in texts.items() if needle and needle in text), "")
    return found


def select_part(questions: Sequence[EvalQuestion], part: str, corpus: Path | None = None) -> list[EvalQuestion]:
    """The questions of one part (see the module docstring); unanswerable questions follow their id."""
    if part not in PARTS:
        raise ConfigError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")
    if part in ID_PARTS:
        return [q for q in questions if id_part(q.id) == part]
    if corpus is None:
        raise ConfigError(
            f"--part {part} splits by document and needs --corpus DIR (the files the questions are about)"
        )
    documents = evidence_documents(corpus, questions)
    return [q for q in questions if documents[q.id] and document_part(documents[q.id]) == part]
