"""The re-ingest fingerprint: every module that decides chunks is hashed, wherever in ingest/ it lives."""

from __future__ import annotations

import shutil
from pathlib import Path

import ingest
from ingest.pipeline import _code_fingerprint, fingerprint, stage_modules

PACKAGE = Path(ingest.__file__).parent


def _relative(files: list[Path], root: Path) -> set[str]:
    return {f.relative_to(root).as_posix() for f in files}


def test_every_ingest_module_but_indexing_and_the_bm25_analyser_decides_chunks():
    everything = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}
    hashed = _relative(stage_modules(), PACKAGE)
    not_hashed = everything - hashed
    assert not_hashed == {f for f in everything if f.startswith("indexing/") or f.endswith("__init__.py")} | {
        "swedish/analysis.py"
    }
    # The Swedish layer and repair's word scores decide repaired text, so chunks.
    for module in (
        "swedish/lexicon.py",
        "swedish/compounds.py",
        "swedish/patterns.py",
        "swedish/sentences.py",
        "swedish/language.py",
        "cleaning/likelihood.py",
        "pipeline.py",
        "types.py",
    ):
        assert module in hashed


def test_the_fingerprint_is_the_hash_of_the_stage_modules():
    assert _code_fingerprint() == fingerprint(stage_modules())


def test_a_module_added_to_a_subpackage_changes_the_fingerprint(tmp_path):
    copy = tmp_path / "ingest"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint(stage_modules(copy))
    assert before == _code_fingerprint()

    (copy / "cleaning" / "new_step.py").write_text('"""A new cleaning step."""\n', encoding="utf-8")
    added = fingerprint(stage_modules(copy))
    assert added != before

    (copy / "indexing" / "new_index.py").write_text('"""Stores, decides no chunk."""\n', encoding="utf-8")
    assert fingerprint(stage_modules(copy)) == added
