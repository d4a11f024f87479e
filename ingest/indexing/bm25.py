"""The persisted BM25 index over stored chunks: bm25s scores on the Swedish analyser's terms.

The index is rebuilt whole from all stored chunks after each ingest (~0.3 s per 1000 chunks once
the analyser has seen their words; ~0.2 s for the 143 chunks of the bundled corpus from cold) and
written atomically: each save goes to a fresh generation directory and a small
`CURRENT` file, replaced in one `os.replace`, names the generation to read. A save that fails or is
interrupted leaves the previous index in place.

    index_dir/
      CURRENT                 name of the live generation
      gen-<time>-<random>/    bm25s's arrays, vocabulary and params + chunks.json (ids, filterable metadata)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import bm25s
import numpy as np

from ingest.swedish.analysis import ANALYZER_VERSION, analyze, analyze_query
from ingest.types import FILTER_KEYS, Chunk
from regionkunskap.errors import ConfigError, StoreError

# bm25s sets its own logger to DEBUG on import, which would print "Building index…" on every ingest.
logging.getLogger("bm25s").setLevel(logging.WARNING)

FORMAT_VERSION = 1
CURRENT = "CURRENT"
CHUNKS_FILE = "chunks.json"
_GENERATION_PREFIX = "gen-"
_REBUILD_HINT = "run `regionkunskap ingest` to rebuild it"

# A filter value: one value, or a list meaning any of them.
FilterValue = str | int | Sequence[str | int]


@dataclass(frozen=True)
class BM25Params:
    """Scoring parameters, tuned lightly on evals/datasets/regionkunskap.jsonl over the bundled corpus
    (114 questions whose evidence sentence was found in a chunk): MRR 0.85, R@1 0.79, against 0.83 and
    0.76 for plain bm25s + Snowball. Differences between nearby settings (k1 0.9–1.5, b 0.3–0.75,
    "lucene" or "bm25+") were within ±0.01 MRR, i.e. noise.

    Chunks are short (title + headings + ~150 words), so weak length normalisation (b) does best; the
    Lucene variant keeps every score positive. A query's compound parts count `part_weight` times a
    word: at full weight they cost 0.01–0.02 MRR, as a chunk full of "kompetens" outranked the one
    about "kompetensförsörjning".
    """

    k1: float = 1.2
    b: float = 0.5
    method: str = "lucene"
    part_weight: float = 0.3


class TermCache:
    """Analysed terms per chunk (by id and embedded text), kept between builds of one process."""

    def __init__(self) -> None:
        self._terms: dict[tuple[str, str], list[str]] = {}

    def of(self, chunk: Chunk) -> list[str]:
        key = (chunk.id, chunk.embed_text)
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = [sys.intern(t) for t in analyze(chunk.embed_text)]
        return found

    def keep_only(self, chunks) -> None:
        """Forget the terms of chunks no longer indexed."""
        wanted = {(c.id, c.embed_text) for c in chunks}
        for key in [k for k in self._terms if k not in wanted]:
            del self._terms[key]

    def __len__(self) -> int:
        return len(self._terms)


class BM25Index:
    """Chunk ids, their filterable metadata and a bm25s retriever over their analysed `embed_text`."""

    def __init__(
        self,
        chunk_ids: list[str],
        metadata: dict[str, list[str]],
        retriever: bm25s.BM25 | None,
        params: BM25Params,
    ):
        self._ids = chunk_ids
        self._metadata = {key: np.asarray(values, dtype=object) for key, values in metadata.items()}
        self._retriever = retriever  # None when no chunk has a term: bm25s cannot index that
        self.params = params

    @classmethod
    def build(
        cls,
        chunks: Sequence[Chunk],
        params: BM25Params = BM25Params(),
        *,
        terms: TermCache | None = None,
    ) -> BM25Index:
        """Index chunks by the terms of their `embed_text`; a repeated chunk id is indexed once.

        `terms` caches each chunk's analysed terms across builds (a reader that rebuilds after every ingest
        then only analyses the new chunks: analysis is most of the cost, ~0.4 ms per chunk).
        """
        unique: dict[str, Chunk] = {}
        for chunk in chunks:
            unique.setdefault(chunk.id, chunk)
        flat = [chunk.metadata() for chunk in unique.values()]
        metadata = {key: [_filter_text(meta.get(key)) for meta in flat] for key in FILTER_KEYS}
        if terms is None:
            corpus = [analyze(chunk.embed_text) for chunk in unique.values()]
        else:
            corpus = [terms.of(chunk) for chunk in unique.values()]
            terms.keep_only(unique.values())
        retriever = None
        if any(corpus):  # bm25s cannot index a corpus without a single term
            retriever = bm25s.BM25(k1=params.k1, b=params.b, method=params.method)
            retriever.index(corpus, show_progress=False)
        return cls(list(unique), metadata, retriever, params)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def chunk_ids(self) -> list[str]:
        return list(self._ids)

    def search(
        self, query: str, k: int = 10, where: Mapping[str, FilterValue] | None = None
    ) -> list[tuple[str, float]]:
        """The best `k` chunks for `query` as (chunk id, score), best first; only chunks that share a
        term with the query and match every `where` condition (key = value, or key in a list)."""
        allowed = self._filter_mask(where)
        retriever = self._retriever
        if retriever is None or k <= 0:
            return []
        terms = analyze_query(query)
        word_ids, part_ids = self._term_ids(retriever, terms.words), self._term_ids(retriever, terms.parts)
        if not word_ids and not part_ids:
            return []
        scores = np.zeros(len(self._ids), dtype=np.float32)
        if word_ids:
            scores += retriever.get_scores_from_ids(word_ids)
        if part_ids:
            scores += self.params.part_weight * retriever.get_scores_from_ids(part_ids)
        candidates = np.flatnonzero(self._matching(retriever, word_ids + part_ids) & allowed)
        best = candidates[np.argsort(-scores[candidates], kind="stable")[:k]]
        return [(self._ids[i], float(scores[i])) for i in best]

    @staticmethod
    def _term_ids(retriever: bm25s.BM25, terms: Sequence[str]) -> list[int]:
        """Vocabulary ids of the terms the index knows (unknown terms can match nothing)."""
        vocab = retriever.vocab_dict
        return [vocab[term] for term in terms if term in vocab]

    def _matching(self, retriever: bm25s.BM25, term_ids: list[int]) -> np.ndarray:
        """Which chunks contain at least one of the terms (read from the sparse matrix's columns)."""
        csc = retriever.scores
        found = np.zeros(len(self._ids), dtype=bool)
        for term in term_ids:
            found[csc["indices"][csc["indptr"][term] : csc["indptr"][term + 1]]] = True
        return found

    def _filter_mask(self, where: Mapping[str, FilterValue] | None) -> np.ndarray:
        """A boolean mask of the chunks matching all conditions; raises ConfigError on an unknown key."""
        mask = np.ones(len(self._ids), dtype=bool)
        for key, wanted in (where or {}).items():
            if key not in self._metadata:
                raise ConfigError(f"cannot filter on {key!r}: the filterable fields are {', '.join(FILTER_KEYS)}")
            values = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
            mask &= np.isin(self._metadata[key], [_filter_text(v) for v in values])
        return mask

    def save(self, directory: Path) -> None:
        """Write the index as a new generation of `directory`, then switch `CURRENT` to it."""
        directory = Path(directory)
        generation = directory / f"{_GENERATION_PREFIX}{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        previous = _current_generation(directory)
        try:
            generation.mkdir(parents=True)
            if self._retriever is not None:
                self._retriever.save(str(generation), show_progress=False)
            _write_durably(generation / CHUNKS_FILE, json.dumps(self._manifest(), ensure_ascii=False))
            _write_durably(directory / f"{CURRENT}.tmp", generation.name)
            os.replace(directory / f"{CURRENT}.tmp", directory / CURRENT)
        except (OSError, TypeError, ValueError) as exc:
            shutil.rmtree(generation, ignore_errors=True)
            raise StoreError(
                f"could not write the BM25 index to {directory}: {exc} — the previous index is unchanged; "
                "check free disk space and permissions, then ingest again"
            ) from exc
        _remove_old_generations(directory, keep={generation.name, previous})

    def _manifest(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "analyzer": ANALYZER_VERSION,
            "params": asdict(self.params),
            "indexed": self._retriever is not None,
            "chunk_ids": self._ids,
            "metadata": {key: values.tolist() for key, values in self._metadata.items()},
        }

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        """Read the live generation of `directory`; StoreError if it is missing, stale or corrupt."""
        directory = Path(directory)
        name = _current_generation(directory)
        if name is None:
            raise StoreError(f"no BM25 index in {directory} — run `regionkunskap ingest` to build it")
        try:
            manifest = json.loads((directory / name / CHUNKS_FILE).read_text(encoding="utf-8"))
            _check_versions(manifest, directory)
            ids = list(manifest["chunk_ids"])
            metadata = {key: list(manifest["metadata"][key]) for key in FILTER_KEYS}
            params = BM25Params(**manifest["params"])
            retriever = None
            if manifest["indexed"]:
                retriever = bm25s.BM25.load(str(directory / name), show_progress=False)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the BM25 index in {directory} is unreadable ({exc}) — {_REBUILD_HINT}") from exc
        documents = retriever.scores["num_docs"] if retriever is not None else len(ids)
        if documents != len(ids) or any(len(values) != len(ids) for values in metadata.values()):
            raise StoreError(f"the BM25 index in {directory} is inconsistent — {_REBUILD_HINT}")
        return cls(ids, metadata, retriever, params)


def _filter_text(value: object) -> str:
    """Metadata values compare as text, so year=2024 and year="2024" match; missing is ""."""
    return "" if value is None else str(value)


def _check_versions(manifest: dict, directory: Path) -> None:
    if manifest.get("format") != FORMAT_VERSION:
        raise StoreError(
            f"the BM25 index in {directory} has format {manifest.get('format')}, this version reads "
            f"{FORMAT_VERSION} — {_REBUILD_HINT}"
        )
    if manifest.get("analyzer") != ANALYZER_VERSION:
        raise StoreError(
            f"the BM25 index in {directory} was built with Swedish analyser version "
            f"{manifest.get('analyzer')}, this version uses {ANALYZER_VERSION} — {_REBUILD_HINT}"
        )


def _current_generation(directory: Path) -> str | None:
    try:
        name = (directory / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {directory / CURRENT}: {exc} — {_REBUILD_HINT}") from exc
    return name or None


def _write_durably(path: Path, text: str) -> None:
    """Write and fsync, so the file is on disk before `CURRENT` can point at it."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _remove_old_generations(directory: Path, keep: set[str | None]) -> None:
    """Delete generations other than the live one and the one before it (a reader may still be
    loading that), including ones left behind by interrupted saves. Best effort."""
    for path in directory.glob(f"{_GENERATION_PREFIX}*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
