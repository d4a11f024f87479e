"""The child side of the crash tests: a real ingest (real Chroma, real catalog, real BM25) with a fast fake
embedder, which can kill itself with SIGKILL right before its n-th write step.

A *write step* is every call that changes stored state: an upsert or delete on a Chroma collection (chunks,
catalog records, leases), an atomic file write (catalog.json, generation) and a BM25 save. The tests run this
in a forked child (multiprocessing's forkserver, so each child starts in milliseconds with the imports done).
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

import chromadb  # noqa: F401 — imported here so forked children start with it loaded
import llama_index.core.vector_stores.utils  # noqa: F401 — the store formats chunks with it
import numpy as np

from ingest.indexing import catalog as catalog_module
from ingest.indexing.bm25 import BM25Index
from ingest.indexing.chroma import GuardedCollection
from ingest.indexing.store import Store
from ingest.pipeline import Ingestor

WRITES = ("upsert", "add", "delete")


def _warm_up() -> None:
    """Load what every ingest loads (lexicons, Chroma's component modules) once, in the fork server; all of it
    is plain data and code, safe to fork (no Chroma client, no threads)."""
    import importlib

    from chromadb.config import Settings as ChromaSettings

    from ingest.swedish.lexicon import frequencies, lexicon

    lexicon()
    frequencies()
    for key, value in ChromaSettings().model_dump().items():
        if key.endswith("_impl") and isinstance(value, str) and "." in value:
            try:
                importlib.import_module(value.rsplit(".", 1)[0])
            except ImportError:
                pass


_warm_up()


def ready() -> None:
    """A child that does nothing: starting it makes the fork server start and preload this module."""


class FakeEmbedder:
    """Deterministic vectors from the text's hash; `delay` seconds per call stands in for the model's time."""

    name = "fake-hash"
    dimension = 32

    def __init__(self, delay: float = 0.0):
        self.delay = delay

    def embed_passages(self, texts, progress: bool = False):
        time.sleep(self.delay)
        return [self._vector(t) for t in texts]

    def get_query_embedding(self, text: str):
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).standard_normal(self.dimension)
        return (v / np.linalg.norm(v)).tolist()


def ingest(store_kwargs: dict, docs: str, *, prune: bool, delay: float = 0.0) -> None:
    """One plain ingest run (what recovery does)."""
    store = Store(**store_kwargs)
    Ingestor(
        store, embedder_spec=FakeEmbedder.name, model_cache=Path("unused"), embedder=FakeEmbedder(delay), progress=False
    ).run([Path(docs)], prune=prune)
    store.close()


def run_child(
    store_kwargs: dict, docs: str, prune: bool, kill_at: int | None, record: str | None, delay: float = 0.0
) -> None:
    """The child process: count write steps (and record their names), die by SIGKILL before step `kill_at`."""
    steps: list[str] = []

    def step(name: str) -> None:
        steps.append(name)
        if record:
            with open(record, "a", encoding="utf-8") as fh:
                fh.write(name + "\n")
        if kill_at is not None and len(steps) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    _hook_write_steps(step)
    ingest(store_kwargs, docs, prune=prune, delay=delay)


def _hook_write_steps(step) -> None:
    plain_getattr = GuardedCollection.__getattr__

    def getattr_with_steps(self, method):
        call = plain_getattr(self, method)
        if method not in WRITES:
            return call

        def write(*args, **kwargs):
            step(f"{self.name}.{method}")
            return call(*args, **kwargs)

        return write

    GuardedCollection.__getattr__ = getattr_with_steps

    plain_write = catalog_module._write_atomically

    def write_file(path, text):
        step(f"write {Path(path).name}")
        return plain_write(path, text)

    catalog_module._write_atomically = write_file

    plain_save = BM25Index.save

    def save(self, directory):
        step("bm25.save")
        return plain_save(self, directory)

    BM25Index.save = save
