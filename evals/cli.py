"""The `eval` verb, registered into `regionkunskap` through the `regionkunskap.verbs` entry point.

    regionkunskap eval --dataset evals/datasets/regionkunskap.jsonl [--k 10] [--json out.json] [--part odd]
    regionkunskap eval --corpus ../shared/data/swequad-mc-train/corpus --dataset …/questions.jsonl --part check
    regionkunskap eval --compare [--chart docs/eval-compare.png]

`--corpus DIR` ingests the folder first: into the store named by the global `--store` option when one is given
(incrementally, so a second run reuses it), else into a temporary store that is removed afterwards — never into
the store of REGIONKUNSKAP_STORE, which is the chat's.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

from assistant.cli import verb
from evals.dataset import DEFAULT_DATASET, load_dataset
from evals.parts import PARTS, select_part
from regionkunskap.errors import ConfigError
from regionkunskap.settings import RETRIEVAL_MODES, Settings


def register(sub) -> None:
    """Add the `eval` sub-command (called by assistant.cli through the entry point)."""
    p = sub.add_parser("eval", help="measure retrieval and answers on an eval set (JSONL)")
    p.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="JSONL eval set (default: the bundled one)")
    p.add_argument("--k", type=int, default=10, help="passages retrieved per question (default 10)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write {summary, results} as JSON to OUT")
    p.add_argument("--compare", action="store_true", help="run dense, BM25, hybrid, each embedder and chunk sizes")
    p.add_argument("--chart", type=Path, default=Path("docs/eval-compare.png"), help="PNG chart for --compare")
    p.add_argument("--retrieval", choices=RETRIEVAL_MODES, help="retrieval mode")
    p.add_argument("--quiet", action="store_true", help="no list of failures")
    p.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        help="ingest this folder first (into --store if given, else a temporary store) and evaluate on it",
    )
    p.add_argument(
        "--part",
        choices=PARTS,
        help="only one part of the set: odd/even ids, or the tuning/check documents of --corpus",
    )


@verb("eval")
def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the eval set (or the comparison) and print the results."""
    questions = load_dataset(args.dataset)
    if args.part:
        questions = select_part(questions, args.part, args.corpus)
    progress = sys.stderr.isatty()
    if args.compare:
        return _compare(args, settings, questions, progress)
    if args.corpus is None:
        return _evaluate(args, settings, questions, progress)
    if not args.corpus.is_dir():
        raise ConfigError(
            f"--corpus {args.corpus}: no such folder; give the folder of documents the questions are about"
        )
    if args.store is not None:  # an explicit store is kept, and ingest is incremental
        _ingest(settings, args.corpus, progress)
        return _evaluate(args, settings, questions, progress)
    with tempfile.TemporaryDirectory(prefix="regionkunskap-eval-") as scratch:
        settings = settings.model_copy(update={"store": Path(scratch)})
        _ingest(settings, args.corpus, progress)
        return _evaluate(args, settings, questions, progress)


def _ingest(settings: Settings, corpus: Path, progress: bool) -> None:
    """Bring the store in step with `corpus` before evaluating on it."""
    from ingest.pipeline import Ingestor

    report = Ingestor.from_settings(settings, progress=progress).run([corpus])
    skipped = f" ({len(report.skipped)} files skipped)" if report.skipped else ""
    print(
        f"Ingested {corpus}: {report.documents} documents, {report.chunks} chunks in {settings.store}{skipped}",
        file=sys.stderr,
    )


def _evaluate(args: argparse.Namespace, settings: Settings, questions, progress: bool) -> int:
    from assistant.assistant import Assistant
    from evals.runner import format_by_kind, format_failures, format_summary, run_eval

    result = run_eval(Assistant(settings), questions, k=args.k, progress=progress)
    part = f", part {args.part}" if args.part else ""
    print(format_summary(result.summary, f"Eval: {args.dataset} ({settings.retrieval}, k={args.k}{part})"))
    print("\nBy kind (first tag):")
    print(format_by_kind(result))
    if not args.quiet and result.failures():
        print(f"\nFailures ({len(result.failures())}):")
        print(format_failures(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


def _compare(args, settings: Settings, questions, progress: bool) -> int:
    from evals.compare import default_setups, format_table, run_compare, write_chart

    results = run_compare(settings, questions, default_setups(), k=args.k, progress=progress)
    machine = f"{platform.machine()}, {_cores()} cores, {date.today().isoformat()}"
    print(f"Comparison on {args.dataset.name} ({len(questions)} questions; {machine})\n")
    print(format_table(results))
    chart = write_chart(results, args.chart, subtitle=f"{args.dataset.name}, {len(questions)} questions; {machine}")
    print(f"\nchart: {chart}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({s.name: r.as_json()["summary"] for s, r in results}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return 0


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))
