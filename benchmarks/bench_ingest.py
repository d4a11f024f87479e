"""Benchmark ingest of corpus/ into a fresh store, for one or more embedders in one run: seconds, chunks/s, RSS.

Usage: .venv/bin/python benchmarks/bench_ingest.py [--embedders e5-small@onnx-int8,e5-small] [--rounds 3]

Each round ingests corpus/ once per embedder, in alternating order, each in a fresh process and a fresh store
(so peak RSS is the embedder's own, and a machine that slows down for a while slows every embedder alike); the
summary gives the median per embedder and each one's speed relative to the last (by default torch, the path
ONNX int8 replaced). Model loading is timed apart from the ingest; an unchanged re-ingest follows each run.

The children keep their imports inside functions: ingest's reader process is started with `spawn`, which runs
the main script's top level again, and a benchmark must not make it import more than `regionkunskap ingest`
does. Prints one JSON object on stdout and a summary on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EMBEDDERS = "e5-small@onnx-int8,e5-small"


def child(embedder_spec: str) -> dict:
    """One ingest of corpus/ into a fresh store with `embedder_spec`, then an unchanged re-ingest."""
    import resource
    import time

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from ingest.indexing.embedder import ingest_threads, make_embedder
    from ingest.indexing.store import Store
    from ingest.pipeline import Ingestor
    from ingest.reading.sandbox import process_tree_rss_mb
    from regionkunskap.settings import Settings

    settings = Settings(store=Path(tempfile.mkdtemp(prefix="rk-bench-ingest-")), embedder=embedder_spec)
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
    tree_mb = process_tree_rss_mb(os.getpid())  # this process and its reader, at the end of the run
    again = ingest()
    return {
        "embedder": settings.embedder,
        "threads": ingest_threads(settings.threads),
        "model_load_s": round(load_s, 2),
        "documents": first.documents,
        "chunks": first.chunks,
        "ingest_s": round(first.seconds, 2),
        "chunks_per_s": round(first.chunks_per_second, 2),
        "reingest_unchanged_s": round(again.seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "tree_rss_mb": round(tree_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedders", default=DEFAULT_EMBEDDERS, help=f"comma-separated (default {DEFAULT_EMBEDDERS})")
    parser.add_argument("--rounds", type=int, default=3, help="ingests per embedder (default 3)")
    parser.add_argument("--child", metavar="EMBEDDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    embedders = [e.strip() for e in args.embedders.split(",") if e.strip()]
    if not embedders or args.rounds < 1:
        parser.error("give at least one embedder and one round")
    runs: dict[str, list[dict]] = {e: [] for e in embedders}
    for round_ in range(args.rounds):
        order = embedders if round_ % 2 == 0 else embedders[::-1]
        for spec in order:
            out = subprocess.run(
                [sys.executable, __file__, "--child", spec], cwd=REPO, check=True, stdout=subprocess.PIPE, text=True
            ).stdout
            runs[spec].append(json.loads(out.strip().splitlines()[-1]))
            print(f"round {round_ + 1}: {spec}: {runs[spec][-1]['ingest_s']} s", file=sys.stderr, flush=True)
    baseline = statistics.median(r["ingest_s"] for r in runs[embedders[-1]])
    summary = {}
    for spec, results in runs.items():
        median = statistics.median(r["ingest_s"] for r in results)
        summary[spec] = {
            "ingest_s": [r["ingest_s"] for r in results],
            "median_ingest_s": median,
            "chunks": results[0]["chunks"],
            "median_chunks_per_s": statistics.median(r["chunks_per_s"] for r in results),
            "model_load_s": statistics.median(r["model_load_s"] for r in results),
            "reingest_unchanged_s": max(r["reingest_unchanged_s"] for r in results),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            "tree_rss_mb": max(r["tree_rss_mb"] for r in results),
            f"speed_vs_{embedders[-1]}": round(baseline / median, 2),
        }
    print(json.dumps({"cpu_count": os.cpu_count(), "rounds": args.rounds, "embedders": summary}, indent=1))
    for spec, s in summary.items():
        print(
            f"{spec}: ingest {s['chunks']} chunks, median {s['median_ingest_s']} s of {s['ingest_s']} "
            f"({s['median_chunks_per_s']} chunks/s, ×{s[f'speed_vs_{embedders[-1]}']} vs {embedders[-1]}); "
            f"model load {s['model_load_s']} s; peak RSS {s['peak_rss_mb']} MB",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
