"""Split SweQUAD-MC into a tuning part and a check part, by document, deterministically.

    python -m evals.swequad_split /work/shared/data/swequad-mc-train build/swequad --part check
    regionkunskap --store build/swequad/store ingest build/swequad/check/corpus
    regionkunskap --store build/swequad/store eval --dataset build/swequad/check/questions.jsonl

A document belongs to the check part when the last hex digit of sha1(file name) is odd, else to the tuning
part: stable across machines and Python versions, independent of file order, and no file is special-cased.
A question follows the document whose text holds its evidence (the first such document by name when the
sentence occurs in several); a question whose evidence is in no document is left out and counted.

For each part the output folder gets `<part>/corpus/*.txt` (copies, not symlinks: ingest skips symlinks
leaving the folder) and `<part>/questions.jsonl` in the eval format, plus `split.json` with the counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evals.metrics import normalize

PARTS = ("tuning", "check")


def part_of(file_name: str) -> str:
    """'check' when the last hex digit of sha1(file name) is odd, else 'tuning'."""
    return "check" if int(hashlib.sha1(file_name.encode("utf-8")).hexdigest()[-1], 16) % 2 else "tuning"


@dataclass
class Split:
    """Documents and questions per part, and the questions no document holds."""

    documents: dict[str, list[Path]] = field(default_factory=lambda: {p: [] for p in PARTS})
    questions: dict[str, list[dict]] = field(default_factory=lambda: {p: [] for p in PARTS})
    orphans: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            **{f"{p}_documents": len(self.documents[p]) for p in PARTS},
            **{f"{p}_questions": len(self.questions[p]) for p in PARTS},
            "questions_without_document": len(self.orphans),
        }


def split_dataset(root: Path) -> Split:
    """Split `root/corpus/*.txt` and `root/questions.jsonl` (the layout of shared/data/swequad-mc-train)."""
    files = sorted((root / "corpus").glob("*.txt"))
    if not files:
        raise SystemExit(f"{root / 'corpus'}: no .txt files — pass the folder that holds corpus/ and questions.jsonl")
    texts = {f: normalize(f.read_text(encoding="utf-8")) for f in files}
    split = Split()
    for f in files:
        split.documents[part_of(f.name)].append(f)
    for question in _read_jsonl(root / "questions.jsonl"):
        home = _home_document(question, texts)
        if home is None:
            split.orphans.append(question["id"])
        else:
            split.questions[part_of(home.name)].append(question)
    return split


def _home_document(question: dict, texts: dict[Path, str]) -> Path | None:
    """The first document (by name) whose normalised text holds all of the question's evidence (else its facts)."""
    needles = [normalize(n) for n in question.get("evidence") or question.get("facts") or []]
    for path, text in texts.items():
        if needles and all(n in text for n in needles):
            return path
    return None


def _read_jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_split(split: Split, out: Path, parts: Iterable[str] = PARTS) -> None:
    """Write `<out>/<part>/corpus/` and `<out>/<part>/questions.jsonl` for each part, and `<out>/split.json`."""
    for part in parts:
        corpus = out / part / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        corpus.mkdir(parents=True)
        for f in split.documents[part]:
            shutil.copyfile(f, corpus / f.name)
        lines = [json.dumps(q, ensure_ascii=False) for q in split.questions[part]]
        (out / part / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "split.json").write_text(json.dumps(split.counts(), indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, help="folder with corpus/ and questions.jsonl")
    parser.add_argument("out", type=Path, help="output folder (parts are written below it)")
    parser.add_argument("--part", choices=PARTS, action="append", help="write only this part (repeatable)")
    args = parser.parse_args(argv)
    split = split_dataset(args.dataset)
    write_split(split, args.out, args.part or PARTS)
    print(json.dumps(split.counts()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
