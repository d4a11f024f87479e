"""Benchmark the Swedish repair on Region Norrbotten's återrapportering (134 kB, PDF-extracted).

Usage: .venv/bin/python benchmarks/bench_repair.py [--file corpus/region-norrbotten-aterrapportering-2022.txt]
       [--runs 5]

Prints one JSON object on stdout and a one-line summary on stderr. The lexicon (wordfreq's Swedish
list and the tables derived from it) is loaded once per process and timed separately as the cold
start. Each timed repair starts with empty word caches, as the first document of a process would;
the warm figure repeats it with the caches a previous document left.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.cleaning.likelihood import accent_contexts  # noqa: E402
from ingest.cleaning.repair import damage_report, repair_text  # noqa: E402
from ingest.swedish import compounds, lexicon  # noqa: E402

DEFAULT_FILE = REPO / "corpus" / "region-norrbotten-aterrapportering-2022.txt"


def load_lexicon() -> float:
    """Seconds to load the word list and build the derived tables."""
    start = time.perf_counter()
    lexicon.frequencies()
    compounds.head_frequencies()
    accent_contexts()
    return time.perf_counter() - start


def clear_word_caches() -> None:
    for cached in (compounds.segment, compounds.head_logp, compounds.final_logp):
        cached.cache_clear()


def time_repair(text: str, runs: int, *, cold_caches: bool) -> list[float]:
    times = []
    for _ in range(runs):
        if cold_caches:
            clear_word_caches()
        start = time.perf_counter()
        repair_text(text)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    text = args.file.read_text(encoding="utf-8")
    lexicon_s = load_lexicon()
    cold = time_repair(text, args.runs, cold_caches=True)
    warm = time_repair(text, args.runs, cold_caches=False)
    repaired = repair_text(text)
    report = damage_report(text)
    result = {
        "file": str(args.file.relative_to(REPO) if args.file.is_relative_to(REPO) else args.file),
        "bytes": len(text.encode("utf-8")),
        "lines": text.count("\n") + 1,
        "lines_kept": repaired.count("\n") == text.count("\n"),
        "words": report.words,
        "damage_score": round(report.score, 4),
        "spurious_capital_a": report.spurious_mode,
        "lines_changed": sum(a != b for a, b in zip(text.split("\n"), repaired.split("\n"), strict=True)),
        "lexicon_cold_start_s": round(lexicon_s, 3),
        "repair_s_median": round(statistics.median(cold), 3),
        "repair_s_runs": [round(t, 3) for t in cold],
        "repair_warm_caches_s_median": round(statistics.median(warm), 3),
        "runs": args.runs,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"repair {result['file']} ({result['bytes'] / 1000:.0f} kB, {result['words']} words): "
        f"{result['repair_s_median']:.3f} s median of {args.runs} "
        f"(warm caches {result['repair_warm_caches_s_median']:.3f} s); "
        f"lexicon cold start {result['lexicon_cold_start_s']:.3f} s; damage score {result['damage_score']:.3f}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
