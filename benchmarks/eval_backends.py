"""Does the ONNX int8 embedder keep answer quality? The eval sets run with each backend, side by side.

Usage: .venv/bin/python benchmarks/eval_backends.py [--embedders e5-small,e5-small@onnx-int8]
                                                    [--swequad ../shared/data/swequad-mc-train]
                                                    [--out build/eval-backends]

For each embedder: ingest corpus/ and run the bundled eval set; ingest the *check* part of SweQUAD-MC
(`evals.swequad_split`: documents whose sha1(file name) ends in an odd hex digit, and their questions) and run
its questions. Everything goes through the `regionkunskap` command (ingest, eval --json), so the figures are
the ones a user gets. Stores are kept under --out, so a re-run only re-evaluates. Prints a table of hit@5,
fact accuracy and MRR per set and embedder, with the difference to the first embedder, and writes it as JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "regionkunskap")
METRICS = ("hit@1", "hit@5", "mrr@10", "fact_accuracy", "citation_support", "p50_ms")


def run(*args: str) -> None:
    subprocess.run([CLI, *args], cwd=REPO, check=True, stdout=subprocess.DEVNULL)


def evaluate(embedder: str, corpus: Path, dataset: Path | None, store: Path, out: Path) -> dict:
    """Ingest `corpus` into `store` with `embedder`, run the eval set, return its summary."""
    common = ["--store", str(store), "--embedder", embedder]
    run(*common, "ingest", str(corpus), "--prune", "--no-progress")
    dataset_args = ["--dataset", str(dataset)] if dataset else []
    run(*common, "eval", *dataset_args, "--quiet", "--json", str(out))
    return json.loads(out.read_text(encoding="utf-8"))["summary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="e5-small,e5-small@onnx-int8")
    parser.add_argument("--swequad", type=Path, default=REPO.parent / "shared" / "data" / "swequad-mc-train")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "eval-backends")
    args = parser.parse_args()
    out = args.out.resolve()
    subprocess.run(
        [sys.executable, "-m", "evals.swequad_split", str(args.swequad), str(out / "swequad"), "--part", "check"],
        cwd=REPO,
        check=True,
    )
    sets = {
        "bundled": (REPO / "corpus", None),
        "swequad-check": (out / "swequad" / "check" / "corpus", out / "swequad" / "check" / "questions.jsonl"),
    }
    results: dict[str, dict[str, dict]] = {}
    for embedder in args.embedders.split(","):
        tag = embedder.replace("@", "-").replace(":", "-").replace("/", "_")
        for name, (corpus, dataset) in sets.items():
            print(f"{embedder}: {name} …", file=sys.stderr, flush=True)
            summary = evaluate(embedder, corpus, dataset, out / tag / name, out / tag / f"{name}.json")
            results.setdefault(name, {})[embedder] = summary
    (out / "summary.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print_table(results)


def print_table(results: dict[str, dict[str, dict]]) -> None:
    for name, by_embedder in results.items():
        first = next(iter(by_embedder.values()))
        print(f"\n{name} ({first['questions']} questions)")
        print(f"  {'embedder':<22}" + "".join(f"{m:>18}" for m in METRICS))
        for embedder, summary in by_embedder.items():
            cells = []
            for metric in METRICS:
                value, base = summary[metric], first[metric]
                delta = "" if summary is first else f" ({value - base:+.3f})"
                cells.append(
                    f"{value:.3f}{delta}" if metric != "p50_ms" else f"{value:.0f}{delta and f' ({value - base:+.0f})'}"
                )
            print(f"  {embedder:<22}" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
