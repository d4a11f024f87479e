"""`regionkunskap`: a thin command line over the library.

    regionkunskap ingest PATH… [--prune]     files → chunks in the store
    regionkunskap status [--json]             what the store holds
    regionkunskap repair < in.txt > out.txt  mend detached Swedish diacritics, line for line
    regionkunskap chat [--host H] [--port P] [--auth USER:PASS]   the chat in the browser
    regionkunskap feedback-to-evals [--out FILE]                   rated chat questions → draft eval lines

Global options (before the verb) override the REGIONKUNSKAP_* environment variables. Errors are printed here,
once, as one line naming the problem and the fix; the exit code is 2 for bad configuration, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from regionkunskap.errors import ConfigError, RegionkunskapError, printable
from regionkunskap.settings import RETRIEVAL_MODES, Settings

VERBS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def verb(name: str):
    """Register a verb's handler: handler(args, settings) -> exit code."""

    def register(fn):
        VERBS[name] = fn
        return fn

    return register


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regionkunskap", description="Kunskapsassistent för regionala utvecklingsdokument."
    )
    parser.add_argument("--store", type=Path, help="data directory (env REGIONKUNSKAP_STORE)")
    parser.add_argument(
        "--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000 (env REGIONKUNSKAP_CHROMA_URL)"
    )
    parser.add_argument(
        "--embedder",
        help="'e5-small@onnx-int8' (default), 'e5-small' (torch), 'e5-small@onnx', "
        "'sentence-transformers:<name-or-path>[@backend]' (env REGIONKUNSKAP_EMBEDDER)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = sub.add_parser("ingest", help="add files or folders (.txt .md .html .pdf .docx) to the store")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone from the given folders")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")

    p = sub.add_parser("status", help="show the data directory, embedder and counts")
    p.add_argument("--json", action="store_true")

    sub.add_parser("repair", help="repair detached diacritics: reads stdin, writes stdout line for line")

    p = sub.add_parser("ask", help="answer a question with cited passages")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--k", type=int, help="number of passages (default REGIONKUNSKAP_TOP_K)")
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="document, region, year, type or organisation; repeat for several",
    )
    p.add_argument("--retrieval", choices=RETRIEVAL_MODES, help="retrieval mode")

    p = sub.add_parser("chat", help="start the chat in the browser (127.0.0.1:7860 unless told otherwise)")
    p.add_argument("--host", help="address to bind (env REGIONKUNSKAP_HOST; default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, help="port (env REGIONKUNSKAP_PORT; default 7860)")
    p.add_argument("--auth", metavar="USER:PASS", help="require basic auth (env REGIONKUNSKAP_AUTH)")

    p = sub.add_parser("feedback-to-evals", help="turn questions rated in the chat into draft eval-set lines")
    p.add_argument("--out", type=Path, help="append new drafts to this JSONL file (default: print them)")

    for plugin in _verb_plugins():
        plugin(sub)
    return parser


def _verb_plugins() -> list[Callable]:
    """Verbs from later stages (e.g. `eval` in the evals package), registered as entry points.

    Imports flow one way (ingest → assistant → evals), so this module never imports `evals`; instead evals
    declares `[project.entry-points."regionkunskap.verbs"]` and its `register(subparsers)` adds the verb.
    """
    from importlib.metadata import entry_points

    return [ep.load() for ep in entry_points(group="regionkunskap.verbs")]


def settings_from(args: argparse.Namespace) -> Settings:
    """The one Settings object: environment, overridden by the global options given."""
    overrides = {
        k: v
        for k, v in {
            "store": args.store,
            "chroma_url": args.chroma_url,
            "embedder": args.embedder,
            "retrieval": getattr(args, "retrieval", None),
            "host": getattr(args, "host", None),
            "port": getattr(args, "port", None),
            "auth": getattr(args, "auth", None),
        }.items()
        if v is not None
    }
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"setting '{field}' (REGIONKUNSKAP_{field.upper()}): {first['msg']}") from None


def open_store(settings: Settings):
    from ingest.indexing.store import Store

    return Store.from_settings(settings)


@verb("ingest")
def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import Ingestor

    ingestor = Ingestor.from_settings(settings, progress=not args.no_progress and sys.stderr.isatty())
    report = ingestor.run(args.paths, prune=args.prune)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        _print_report(report, settings)
    return 0 if report.ok else 1


def _print_report(report, settings: Settings) -> None:
    print(f"Store: {settings.store}  (embedder {settings.embedder})")
    print(
        f"  added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"removed {len(report.removed)}, skipped {len(report.skipped)}"
    )
    print(
        f"  {report.chunks_written} chunks written in {report.seconds:.1f} s ({report.chunks_per_second:.1f} chunks/s)"
    )
    print(f"  the store now holds {report.documents} documents, {report.chunks} chunks")
    for dup in report.duplicates:
        print(f"  note: {printable(dup.path)}: {dup.reason}")
    for note in report.notes:
        print(f"  note: {note}")
    for skip in report.skipped:
        print(f"skipped: {skip.path}: {skip.reason}", file=sys.stderr)


@verb("status")
def _status(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    stats = store.stats()
    if args.json:
        stats["document_list"] = [
            {"doc_id": d.doc_id, "title": d.meta.get("title", ""), "chunks": len(d.chunk_ids)}
            for d in store.documents()
        ]
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return 0
    emb = f"{stats['embedder']} ({stats['dimension']} dims)" if stats["embedder"] else "none yet"
    print(f"Store:      {stats['store']}")
    where = f"namespace {stats['namespace']}, " if stats["namespace"] else ""
    print(f"Chroma:     {stats['chroma']} ({where}collection {stats['collection']})")
    print(f"Embedder:   {emb}")
    print(f"Documents:  {stats['documents']}")
    print(f"Chunks:     {stats['chunks']}")
    if stats["unlisted_chunks"]:
        print(
            f"            + {stats['unlisted_chunks']} left by an interrupted ingest "
            "(not served; the next ingest removes them)"
        )
    if stats["missing_chunks"]:
        print(
            f"            {stats['missing_chunks']} listed chunks are missing from Chroma: "
            "run `regionkunskap ingest` again"
        )
    for doc in store.documents():
        print(f"  - {doc.doc_id}: {doc.meta.get('title', '')} ({len(doc.chunk_ids)} chunks)")
    if not stats["documents"]:
        print("The store is empty: run `regionkunskap ingest corpus/` (or `make chat`).")
    return 0


@verb("repair")
def _repair(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.cleaning.repair import repair_stream

    repair_stream(sys.stdin, sys.stdout)
    return 0


@verb("ask")
def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.assistant import Assistant
    from assistant.chat.render import answer_as_text

    assistant = Assistant(settings)
    answer = assistant.ask(args.question, filters=parse_filters(args.filter), k=args.k)
    answer.timings_ms["load"] = assistant.load_ms
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(answer_as_text(answer))
    t = answer.timings_ms
    print(
        f"\n({t['total']:.0f} ms: embed {t['embed']:.0f}, dense {t['dense']:.0f}, bm25 {t['bm25']:.0f}, "
        f"answer {t['answer']:.0f}; model load {t['load'] / 1000:.1f} s)"
    )
    return 0


@verb("chat")
def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.chat.app import serve

    return serve(settings)


@verb("feedback-to-evals")
def _feedback_to_evals(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.chat.feedback import draft_eval_lines, read_feedback, write_drafts

    drafts = draft_eval_lines(read_feedback(settings.feedback_path))
    if args.out is None:
        for draft in drafts:
            print(json.dumps(draft, ensure_ascii=False))
        return 0
    added = write_drafts(drafts, args.out)
    print(
        f"{added} new draft(s) appended to {args.out} ({len(drafts) - added} already there); "
        "write their facts before adding them to the eval set",
        file=sys.stderr,
    )
    return 0


def parse_filters(items: list[str]) -> dict[str, list[str]]:
    """`["region=Norrbotten", "year=2022"]` → {"region": ["Norrbotten"], "year": ["2022"]}."""
    filters: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"--filter {item!r} must look like KEY=VALUE, e.g. --filter region=Norrbotten")
        filters.setdefault(key.strip(), []).append(value.strip())
    return filters


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `regionkunskap` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = settings_from(args)
        return VERBS[args.verb](args, settings)
    except ConfigError as exc:
        print(f"regionkunskap: error: {exc}", file=sys.stderr)
        return 2
    except RegionkunskapError as exc:
        print(f"regionkunskap: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("regionkunskap: interrupted", file=sys.stderr)
        return 130
