"""The bottom package: one Settings with typed modes, one error hierarchy every stage raises."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.cli import build_parser
from regionkunskap import errors
from regionkunskap.settings import RETRIEVAL_MODES, Settings

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("regionkunskap", "ingest", "assistant", "evals")


def test_retrieval_modes_are_the_settings_literal():
    assert RETRIEVAL_MODES == ("hybrid", "dense", "bm25")
    for mode in RETRIEVAL_MODES:
        assert Settings(retrieval=mode).retrieval == mode
    with pytest.raises(ValidationError, match="'hybrid', 'dense' or 'bm25'"):
        Settings(retrieval="sparse")


def test_the_command_line_offers_exactly_the_settings_modes():
    verbs = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    for verb in ("ask", "eval"):
        option = next(a for a in verbs[verb]._actions if a.dest == "retrieval")
        assert tuple(option.choices) == RETRIEVAL_MODES


def _exception_classes(path: Path) -> list[str]:
    """Classes in a module deriving from something named *Error or Exception."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
            if any(b.endswith("Error") or b == "Exception" for b in bases):
                found.append(node.name)
    return found


def test_every_error_class_lives_in_regionkunskap_errors():
    elsewhere = {
        str(path.relative_to(REPO)): names
        for package in PACKAGES
        for path in sorted((REPO / package).rglob("*.py"))
        if path != REPO / "regionkunskap" / "errors.py" and (names := _exception_classes(path))
    }
    assert elsewhere == {}


def test_every_error_is_a_regionkunskap_error_the_edges_can_catch():
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, Exception)]
    names = {c.__name__ for c in classes}
    assert {"QuestionError", "DatasetError", "FeedbackError", "ConfigError", "LoadError"} <= names
    assert all(issubclass(c, errors.RegionkunskapError) for c in classes)
