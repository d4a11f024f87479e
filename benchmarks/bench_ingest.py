"""Benchmark ingest of corpus/ into a fresh store: seconds, chunks/s, and a no-op re-ingest.

Usage: .venv/bin/python benchmarks/bench_ingest.py

Model loading is timed separately from the ingest run. Prints one JSON object on stdout and a
one-line summary on stderr.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ingest.indexing.embedder import ingest_threads, make_embedder  # noqa: E402
from ingest.indexing.store import Store  # noqa: E402
from ingest.pipeline import Ingestor  # noqa: E402
from regionkunskap.settings import Settings  # noqa: E402


def main() -> None:
    settings = Settings(store=Path(tempfile.mkdtemp(prefix="rk-bench-ingest-")))
    t0 = time.perf_counter()
    # The threads `regionkunskap ingest` embeds on (every core unless REGIONKUNSKAP_THREADS); queries use fewer.
    embedder = make_embedder(settings.embedder, settings.model_cache, threads=ingest_threads(settings.threads))
    load_s = time.perf_counter() - t0

    def ingest():
        return Ingestor(
            Store(settings.store),
            embedder_spec=settings.embedder,
            model_cache=settings.model_cache,
            embedder=embedder,
            progress=False,
        ).run([REPO / "corpus"], prune=True)

    first = ingest()
    again = ingest()
    result = {
        "embedder": settings.embedder,
        "threads": ingest_threads(settings.threads),
        "model_load_s": round(load_s, 2),
        "documents": first.documents,
        "chunks": first.chunks,
        "ingest_s": round(first.seconds, 2),
        "chunks_per_s": round(first.chunks_per_second, 2),
        "reingest_unchanged_s": round(again.seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result, indent=1))
    print(
        f"ingest {result['chunks']} chunks in {result['ingest_s']} s ({result['chunks_per_s']} chunks/s); "
        f"unchanged re-ingest {result['reingest_unchanged_s']} s; model load {result['model_load_s']} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
