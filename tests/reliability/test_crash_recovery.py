"""kill -9 during ingest and re-ingest — before every write step, and at random moments — in an embedded
store and on a real Chroma server. After every kill, `status` is consistent (the catalog lists no chunk Chroma
lacks; it counts what readers serve), and the next ingest brings the store to exactly a clean ingest's chunks.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import crash_ingest  # tests/reliability is on sys.path (see conftest.py)
import pytest

# Per test; 4 tests → 20 random kills by default, 96 with REGIONKUNSKAP_RELIABILITY_FULL=1.
RANDOM_KILLS = 24 if os.environ.get("REGIONKUNSKAP_RELIABILITY_FULL") == "1" else 5

TOPICS = (
    "kompetensförsörjning",
    "kollektivtrafik",
    "bredband",
    "besöksnäring",
    "vätgas",
    "skogsnäring",
    "bostadsbyggande",
    "digitalisering",
    "folkhälsa",
    "vattenkraft",
    "utbildning",
    "innovation",
)


def document(seed: int, words: int = 420) -> str:
    """A Swedish project text of about `words` words, different for each seed (several chunks)."""
    rng = random.Random(seed)
    title = f"Projekt {rng.choice(TOPICS).capitalize()} {seed}"
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        topic, year = rng.choice(TOPICS), rng.randint(2019, 2027)
        sentences.append(
            f"Projektet arbetar med {topic} i länet under {year} och har {rng.randint(2, 90)} "
            f"miljoner kronor i budget för insats nummer {rng.randint(1, 999)}."
        )
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


VERSION_1 = {"a": document(1), "b": document(2), "c": document(3)}
# Re-ingest: a changed (its last paragraph), b gone (pruned), c unchanged, d new.
VERSION_2 = {
    "a": VERSION_1["a"].rsplit("\n\n", 1)[0] + "\n\nEtt nytt stycke om vätgas 2026.\n",
    "c": VERSION_1["c"],
    "d": document(4),
}


def write_docs(folder: Path, version: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for name, text in version.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


class Scenario:
    """One store to crash: how to open it, how to prefill it, and the chunk ids a clean ingest gives."""

    def __init__(self, mode: str, tmp: Path, docs: Path, server_url: str | None, reingest: bool):
        self.mode, self.tmp, self.docs, self.url, self.reingest = mode, tmp, docs, server_url, reingest
        self.count = 0
        self.template: Path | None = None

    def store_kwargs(self, name: str) -> dict:
        kwargs = {"data_dir": str(self.tmp / name)}
        if self.url:
            kwargs.update(chroma_url=self.url, namespace=name)
        return kwargs

    def fresh(self, forkserver) -> dict:
        """A new store in the state before the crashed run (empty, or holding version 1)."""
        self.count += 1
        kwargs = self.store_kwargs(f"s{self.count}")
        if not self.reingest:
            return kwargs
        if self.url:  # a server namespace: fill it here (HTTP has no per-process cache to go stale)
            write_docs(self.docs, VERSION_1)
            crash_ingest.ingest(kwargs, str(self.docs), prune=True)
            write_docs(self.docs, VERSION_2)
        else:  # embedded: copy a store a child process filled, never opened by this process
            shutil.copytree(self.template, kwargs["data_dir"])
        return kwargs

    def prepare(self, forkserver) -> None:
        write_docs(self.docs, VERSION_1)
        if self.reingest and not self.url:
            self.template = self.tmp / "template"
            assert run(forkserver, self.store_kwargs("template"), self.docs) == 0
        if self.reingest:
            write_docs(self.docs, VERSION_2)

    def clean_ids(self, forkserver) -> set[str]:
        kwargs = self.fresh(forkserver)
        assert run(forkserver, kwargs, self.docs) == 0
        return served(kwargs)


def run(
    forkserver,
    kwargs: dict,
    docs: Path,
    *,
    kill_at: int | None = None,
    record: Path | None = None,
    kill_after: float | None = None,
) -> int:
    """Ingest in a forked child; returns its exit code (-9 when it was killed)."""
    child = forkserver.Process(
        target=crash_ingest.run_child, args=(kwargs, str(docs), True, kill_at, str(record) if record else None, 0.02)
    )
    child.start()
    if kill_after is not None:
        time.sleep(kill_after)
        child.kill()
    child.join(timeout=300)
    assert child.exitcode is not None, "the ingest child hung"
    return child.exitcode


def served(kwargs: dict) -> set[str]:
    from ingest.indexing.store import Store

    store = Store(**kwargs)
    try:
        return set(store.chunks())
    finally:
        store.close()


def check_recovery(kwargs: dict, docs: Path, expected: set[str], invariants, where: str) -> None:
    """Status right after the crash is consistent; the next ingest gives exactly the clean chunk ids."""
    from ingest.indexing.store import Store

    store = Store(**kwargs)
    stats = store.stats()
    listed = store.catalog.listed_ids()
    store.close()
    assert stats["missing_chunks"] == 0, f"{where}: the catalog lists chunks Chroma lacks"
    assert stats["chunks"] == len(listed), f"{where}: status counts chunks readers do not serve"
    crash_ingest.ingest(kwargs, str(docs), prune=True)
    assert served(kwargs) == expected, f"{where}: recovery did not reach a clean ingest's chunk ids"
    invariants(Store(**kwargs))
    if "chroma_url" in kwargs:  # keep the shared server small: each scenario's namespace goes once checked
        from ingest.indexing.chroma import Chroma, ServerOptions

        Chroma(server=ServerOptions(kwargs["chroma_url"], kwargs["namespace"])).drop()


@pytest.mark.parametrize("mode", ["embedded", "server"])
@pytest.mark.parametrize("run_kind", ["ingest", "re-ingest"])
def test_a_kill_before_any_write_step_or_at_a_random_moment_recovers_cleanly(
    mode,
    run_kind,
    tmp_path,
    forkserver,
    store_invariants,
    request,
):
    url = request.getfixturevalue("chroma_server").url if mode == "server" else None
    scenario = Scenario(mode, tmp_path, tmp_path / "docs", url, reingest=run_kind == "re-ingest")
    scenario.prepare(forkserver)
    expected = scenario.clean_ids(forkserver)
    assert expected

    record = tmp_path / "steps.txt"
    started = time.monotonic()
    assert run(forkserver, scenario.fresh(forkserver), scenario.docs, record=record) == 0
    duration = time.monotonic() - started
    steps = record.read_text(encoding="utf-8").splitlines()
    assert any(s == "regionkunskap.upsert" for s in steps)
    assert any(s == "regionkunskap.delete" for s in steps) == scenario.reingest, "re-ingest deletes stale chunks"

    for n, step in enumerate(steps, start=1):
        kwargs = scenario.fresh(forkserver)
        assert run(forkserver, kwargs, scenario.docs, kill_at=n) == -9, f"step {n} ({step}) was not reached"
        check_recovery(
            kwargs, scenario.docs, expected, store_invariants, f"{mode} {run_kind}, killed before step {n} ({step})"
        )

    rng = random.Random(f"{mode}-{run_kind}")
    for _i in range(RANDOM_KILLS):
        kwargs = scenario.fresh(forkserver)
        delay = rng.uniform(0, duration)
        run(forkserver, kwargs, scenario.docs, kill_after=delay)
        check_recovery(
            kwargs, scenario.docs, expected, store_invariants, f"{mode} {run_kind}, killed after {delay:.3f} s"
        )
