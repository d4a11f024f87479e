"""A Chroma server that freezes (SIGSTOP) or dies (SIGKILL) under the real `regionkunskap` command: every
command fails within its timeout with one line naming the URL, and nothing is left half-written."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from ingest.indexing.store import Store

REPO = Path(__file__).resolve().parents[2]
SAM = (
    "Stärkt attraktionskraft\n\nProjektet SAM pågår 1 februari 2024 – 21 december 2026. "
    "Sundsvalls kommun är projektägare.\n"
)
READ_TIMEOUT = 3
SMALL_DOCUMENTS = ("north-sweden-green-deal.txt", "vagar-till-hallbar-utveckling-finansiering.txt")
COPIES = 8


def run_cli(cli, env, *args: str, timeout: float = 600) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    out = subprocess.run([str(cli), *args], capture_output=True, text=True, env=env, timeout=timeout)
    return out, time.monotonic() - started


def test_with_the_server_frozen_ingest_ask_and_status_fail_within_their_timeouts(
    chroma_server,
    tmp_path,
    ingest_here,
    regionkunskap_cli,
):
    cli, cli_env = regionkunskap_cli
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sam.txt").write_text(SAM, encoding="utf-8")
    store = Store(tmp_path / "store", chroma_url=chroma_server.url)
    ingest_here(store, [docs])
    env = cli_env(
        store=tmp_path / "store",
        chroma_url=chroma_server.url,
        chroma_read_timeout=READ_TIMEOUT,
        chroma_connect_timeout=2,
    )
    baseline, start_up = run_cli(cli, env, "status")  # what a command costs with the server answering
    assert baseline.returncode == 0, baseline.stderr

    chroma_server.freeze()
    try:
        for args in (["status"], ["ask", "Vem äger SAM?"], ["ingest", "--no-progress", str(docs)]):
            out, took = run_cli(cli, env, *args)
            assert out.returncode == 1, (args, out.stderr)
            assert out.stderr.count("\n") == 1, f"{args}: one line, not a traceback:\n{out.stderr}"
            assert chroma_server.url in out.stderr and f"did not answer within {READ_TIMEOUT} s" in out.stderr
            assert took < start_up + READ_TIMEOUT + 10, f"{args} took {took:.1f} s (start-up {start_up:.1f} s)"
    finally:
        chroma_server.thaw()
    stats = Store(tmp_path / "store", chroma_url=chroma_server.url).stats()
    assert (stats["documents"], stats["missing_chunks"], stats["unlisted_chunks"]) == (1, 0, 0)


def test_a_server_killed_mid_ingest_stops_it_with_one_line_and_nothing_half_written(
    chroma_server,
    tmp_path,
    ingest_here,
    regionkunskap_cli,
    store_invariants,
):
    cli, cli_env = regionkunskap_cli
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(COPIES):  # many small documents: a wide window with some written and some not
        for name in SMALL_DOCUMENTS:
            text = (REPO / "corpus" / name).read_text(encoding="utf-8")
            (docs / f"{i:02d}-{name}").write_text(f"{text}\nUtgåva {i + 1}.\n", encoding="utf-8")
    env = cli_env(store=tmp_path / "store", chroma_url=chroma_server.url, chroma_read_timeout=10)
    ingest = subprocess.Popen(
        [str(cli), "ingest", "--no-progress", str(docs)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = Store(tmp_path / "reader", chroma_url=chroma_server.url, namespace="store")
    deadline = time.monotonic() + 600
    while not reader.catalog.documents and ingest.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
        reader = Store(tmp_path / "reader", chroma_url=chroma_server.url, namespace="store")
    assert reader.catalog.documents and ingest.poll() is None, "the ingest must be mid-way when the server dies"
    chroma_server.kill()
    _, stderr = ingest.communicate(timeout=120)
    assert ingest.returncode == 1
    assert stderr.count("\n") == 1 and chroma_server.url in stderr, stderr

    chroma_server.start()  # same data, same port
    after = Store(tmp_path / "store", chroma_url=chroma_server.url)
    stats = after.stats()
    assert 1 <= stats["documents"] < COPIES * len(SMALL_DOCUMENTS) and stats["missing_chunks"] == 0, stats
    assert stats["chunks"] == len(after.catalog.listed_ids())
    report = ingest_here(Store(tmp_path / "store", chroma_url=chroma_server.url), [docs])
    assert report.ok and len(report.unchanged) == stats["documents"], "documents written before the crash stay"
    store_invariants(Store(tmp_path / "store", chroma_url=chroma_server.url))
