"""The eval runner over the real corpus store: the CLI writes the JSON other tools read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evals.dataset import DEFAULT_DATASET
from evals.runner import RESULT_KEYS, SUMMARY_KEYS

# The eval runs over the corpus store: the real e5 model, in this process and in the CLI's.
pytestmark = pytest.mark.slow

CLI = Path(sys.executable).with_name("regionkunskap")


def test_eval_cli_writes_summary_and_results_with_the_agreed_keys(corpus_store, tmp_path):
    small = tmp_path / "small.jsonl"
    lines = DEFAULT_DATASET.read_text(encoding="utf-8").splitlines()
    unanswerable = [line for line in lines if '"answerable": false' in line][:2]
    small.write_text("\n".join(lines[:6] + unanswerable) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [str(CLI), "--store", str(corpus_store.data_dir), "eval", "--dataset", str(small), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "hit@1" in proc.stdout and "fact_accuracy" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["summary", "by_kind", "results"]
    assert list(data["summary"]) == list(SUMMARY_KEYS)
    assert data["summary"]["questions"] == 8
    assert all(list(r) == list(RESULT_KEYS) for r in data["results"])


def test_the_bundled_eval_set_scores_well_on_the_bundled_corpus(corpus_store, e5_embedder):
    """A floor, not a target: it catches a broken pipeline, the README quotes the measured numbers."""
    from assistant.assistant import Assistant
    from evals.dataset import load_dataset
    from evals.runner import run_eval
    from regionkunskap.settings import Settings

    assistant = Assistant(Settings(store=corpus_store.data_dir), store=corpus_store, embedder=e5_embedder)
    summary = run_eval(assistant, load_dataset(), k=10).summary
    print({k: summary[k] for k in SUMMARY_KEYS})
    assert summary["hit@5"] >= 0.85
    assert summary["mrr@10"] >= 0.75
    # Measured 0.80 fact accuracy, 0.04 confident wrong answers (2026-12-03, fifth session; README "Quality").
    assert summary["fact_accuracy"] >= 0.55
    assert summary["wrong_answer_rate"] <= 0.15
    assert summary["abstention_accuracy"] >= 0.7
