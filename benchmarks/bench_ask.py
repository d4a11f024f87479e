"""Benchmark `ask`: model-load time, then per-question latency after start-up.

Usage: .venv/bin/python benchmarks/bench_ask.py [--store DIR] [--rounds 3]

Builds the store from corpus/ first if it is empty (into a temporary folder unless --store is given),
loads the Assistant once (reported separately as load seconds), then asks every question of the bundled
eval set `rounds` times (query-embedding cache cleared before every question, so each ask pays for its
embedding) and reports median and p95 of the end-to-end `Assistant.ask` time, plus the median of each stage.
Prints one JSON object on stdout and a short table on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.assistant import Assistant  # noqa: E402
from evals.dataset import load_dataset  # noqa: E402
from ingest.indexing.store import Store  # noqa: E402
from ingest.pipeline import Ingestor  # noqa: E402
from regionkunskap.settings import Settings  # noqa: E402


def ensure_store(settings: Settings) -> None:
    store = Store(settings.store)
    if not store.documents():
        Ingestor(store, embedder_spec=settings.embedder, model_cache=settings.model_cache, progress=False).run(
            [REPO / "corpus"], prune=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="data directory (default: a temporary one built from corpus/)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store_dir = args.store or Path(tempfile.mkdtemp(prefix="rk-bench-"))
    settings = Settings(store=store_dir)
    ensure_store(settings)

    started = time.perf_counter()
    assistant = Assistant(settings)
    load_s = time.perf_counter() - started

    questions = [q.question for q in load_dataset()]
    totals, stages = [], {}
    for _ in range(args.rounds):
        for q in questions:
            assistant.retriever.clear_cache()
            t0 = time.perf_counter()
            answer = assistant.ask(q)
            totals.append((time.perf_counter() - t0) * 1000)
            for key, ms in answer.timings_ms.items():
                stages.setdefault(key, []).append(ms)
    result = {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "questions": len(questions),
        "rounds": args.rounds,
        "load_s": round(load_s, 2),
        "ask_median_ms": round(statistics.median(totals), 1),
        "ask_p95_ms": round(statistics.quantiles(totals, n=20)[18], 1),
        "stage_median_ms": {k: round(statistics.median(v), 1) for k, v in stages.items()},
    }
    print(json.dumps(result, indent=1))
    print(
        f"model load {result['load_s']} s; ask median {result['ask_median_ms']} ms, "
        f"p95 {result['ask_p95_ms']} ms over {len(totals)} asks",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
