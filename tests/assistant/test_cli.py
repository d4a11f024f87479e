"""The `regionkunskap` command: exit codes, one-line errors, JSON shapes — run as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regionkunskap.embedder_spec import DEFAULT_EMBEDDER

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
CLI = Path(sys.executable).with_name("regionkunskap")


def run(
    *args: str, store: Path | None = None, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    prefix = ["--store", str(store)] if store else []
    return subprocess.run(
        [str(CLI), *prefix, *args], input=stdin, capture_output=True, text=True, env=full_env, timeout=600
    )


def test_status_of_an_empty_store_says_how_to_fill_it(tmp_path):
    out = run("status", store=tmp_path / "store")
    assert out.returncode == 0
    assert "regionkunskap ingest" in out.stdout
    data = json.loads(run("status", "--json", store=tmp_path / "store").stdout)
    assert {"store": str(tmp_path / "store"), "embedder": None, "documents": 0, "chunks": 0}.items() <= data.items()


@pytest.mark.slow  # the CLI ingests the good file with the real e5 model
def test_ingest_with_bad_files_reports_each_on_one_line_and_exits_non_zero(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bra.txt").write_text("Projektet SAM\n\nSundsvalls kommun är projektägare för SAM.\n", encoding="utf-8")
    (docs / "tom.txt").write_bytes(b"")
    (docs / "okand.xyz").write_text("x", encoding="utf-8")
    shutil.copy(FIXTURES / "loaders" / "broken.pdf", docs / "trasig.pdf")
    shutil.copy(FIXTURES / "loaders" / "encrypted.pdf", docs / "krypterad.pdf")
    store = tmp_path / "store"
    out = run("ingest", "--no-progress", str(docs), str(docs / "saknas.docx"), store=store)
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if line.startswith("skipped: ")]
    for name in ("tom.txt", "okand.xyz", "trasig.pdf", "krypterad.pdf", "saknas.docx"):
        assert sum(name in line for line in lines) == 1, f"{name} must get exactly one line:\n{out.stderr}"
    status = json.loads(run("status", "--json", store=store).stdout)
    assert status["documents"] == 1 and status["embedder"] == DEFAULT_EMBEDDER and status["chunks"] >= 1

    again = run("ingest", "--json", str(docs / "bra.txt"), store=store)
    assert again.returncode == 0 and json.loads(again.stdout)["unchanged"] == ["bra.txt"]


def test_a_bad_setting_is_one_line_and_exit_code_2(tmp_path):
    out = run("status", store=tmp_path, env={"REGIONKUNSKAP_CHROMA_URL": "ftp://example"})
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "REGIONKUNSKAP_CHROMA_URL" in out.stderr
    out = run("ask", "Vem äger SAM?", "--filter", "regionNorrbotten", store=tmp_path)
    assert out.returncode in (1, 2) and out.stderr.count("\n") == 1


def test_asking_an_empty_store_says_to_ingest_first(tmp_path):
    out = run("ask", "Vem äger SAM?", store=tmp_path / "empty")
    assert out.returncode == 1
    assert "regionkunskap ingest" in out.stderr and out.stderr.count("\n") == 1


def test_repair_reads_stdin_and_writes_the_same_number_of_lines(tmp_path):
    damaged = "Nationell strategi fo r ha llbar regional utveckling\n\nTillva xtverket och la net\n" * 3
    out = run("repair", stdin=damaged)
    assert out.returncode == 0
    assert out.stdout.count("\n") == damaged.count("\n")
    assert "för hållbar" in out.stdout and "Tillväxtverket" in out.stdout and "länet" in out.stdout


@pytest.mark.parametrize("clean", ["Märta Molin och Bill Gates i Flagship One.\nRUN 00060-2022, N2021/03079\n"])
def test_repair_leaves_correct_text_byte_for_byte(clean):
    assert run("repair", stdin=clean).stdout == clean
