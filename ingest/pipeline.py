"""Ingest: files → cleaned, repaired, chunked, embedded documents in the store.

    report = Ingestor.from_settings(settings).run([Path("corpus")], prune=True)

Incremental and idempotent: a file whose bytes, metadata and ingest code are unchanged is not touched; a
changed file has its chunks replaced; with `prune`, documents whose files are gone from the given folders are
removed. A file that cannot be read is reported with the reason and the fix, and the rest of the batch goes on.

Reading and embedding overlap: a reader process reads, repairs and chunks files (`ingest.prepare`) up to two
ahead of the one being embedded (`reading.ahead`), and it loads its word lists while the store opens. Writes
stay in file order, in this thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from ingest.indexing.catalog import DocumentRecord, EmbedderInfo
from ingest.indexing.onnx_backend import vector_format
from ingest.indexing.store import Store
from ingest.indexing.unit_vectors import pack, unit_texts
from ingest.prepare import prepare, warm_up
from ingest.reading.ahead import ReadAhead
from ingest.reading.discovery import SourceFile, absolute, discover
from ingest.reading.limits import ReadLimits
from ingest.reading.sandbox import read_sandboxed
from ingest.types import Chunk, Document, file_hash
from regionkunskap.errors import ConfigError, LoadError, RegionkunskapError, StoreError, printable

log = logging.getLogger(__name__)

# What decides a document's chunks: every ingest module but the ones that only store or index them (the
# indexing stage; the BM25 analyser, whose index is rebuilt on its own) — found by walking the package, so a
# module moved between subpackages still counts.
_NOT_STAGE_MODULES = {"indexing", "swedish/analysis.py", "__init__.py"}
# Files read and chunked ahead of the one being embedded (reading.ahead): 2 keeps the embedder fed when a
# large file follows a small one, and holds at most two read documents in memory.
READ_AHEAD_FILES = 2


@dataclass(frozen=True)
class Skipped:
    """A file that was not ingested, and why."""

    path: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duplicates: list[Skipped] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0
    documents: int = 0
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.skipped

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_written / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "duplicates": [vars(s) for s in self.duplicates],
            "skipped": [vars(s) for s in self.skipped],
            "notes": self.notes,
            "chunks_written": self.chunks_written,
            "seconds": round(self.seconds, 2),
            "chunks_per_second": round(self.chunks_per_second, 1),
            "documents": self.documents,
            "chunks": self.chunks,
        }


class Ingestor:
    """Turns files into stored chunks; one instance per store and configuration."""

    def __init__(
        self,
        store: Store,
        *,
        embedder_spec: str,
        model_cache: Path,
        chunk_words: int = 160,
        overlap_words: int = 30,
        batch_size: int = 16,
        threads: int | None = None,
        progress: bool = True,
        embedder=None,
        limits: ReadLimits | None = None,
    ):
        if overlap_words >= chunk_words:
            raise ConfigError(
                f"chunk overlap ({overlap_words} words) must be smaller than the chunk size ({chunk_words})"
            )
        self.store = store
        self.embedder_spec = embedder_spec
        self._vector_format = vector_format(embedder_spec)  # part of every file's signature: worked out once
        self.model_cache = Path(model_cache)
        self.chunk_words = chunk_words
        self.overlap_words = overlap_words
        self.batch_size = batch_size
        self.threads = threads
        self.progress = progress
        self._embedder = embedder  # built on first need: loading a model costs seconds
        self.limits = limits or ReadLimits()  # per-file time, memory and size bounds (reading.limits)
        self._bound = False
        self._present: set[str] = set()

    @classmethod
    def from_settings(cls, settings, *, store: Store | None = None, embedder=None, progress: bool = True) -> Ingestor:
        """The ingestor the settings describe, writing to `store` (default: the settings' store)."""
        return cls(
            store if store is not None else Store.from_settings(settings),
            embedder_spec=settings.embedder,
            model_cache=settings.model_cache,
            chunk_words=settings.chunk_words,
            overlap_words=settings.chunk_overlap_words,
            batch_size=settings.embed_batch_size,
            threads=settings.threads,
            progress=progress,
            embedder=embedder,
            limits=ReadLimits.from_settings(settings),
        )

    def run(self, paths: Sequence[Path], *, prune: bool = False) -> IngestReport:
        """Ingest every supported file under `paths`; see the module docstring."""
        started = time.perf_counter()
        report = IngestReport()
        with self._read_ahead() as ahead:  # the reader warms up while the store opens
            self.store.check_embedder(self.embedder_spec)  # fail before reading anything
            with self.store.writing():
                found = discover(paths, {absolute(r.path): r.doc_id for r in self.store.documents()})
                report.skipped += [Skipped(path, reason) for path, reason in found.problems]
                report.notes += found.unmatched_entries + found.notes
                self._present = self.store.stored_ids()
                hashes = {source.doc_id: _hash_or_none(source.path) for source in found.files}
                reads = self._likely_reads(found.files, hashes)
                ahead.plan(reads)
                if reads:  # the index is rebuilt at the end; its word lists load while the first file is read
                    self.store.prepare_bm25()
                changed = False
                quiet = not self.progress or len(found.files) < 2
                for source in tqdm(found.files, desc="Dokument", unit="fil", disable=quiet):
                    changed |= self._ingest_file(source, hashes[source.doc_id], report, ahead)
                if prune:
                    changed |= self._prune(paths, {f.doc_id for f in found.files}, report)
                changed |= self.store.remove_orphans() > 0
                rebuilt = changed or not self.store.bm25_is_current()
                if rebuilt:
                    self.store.rebuild_bm25()
                if rebuilt or self.store.catalog.generation is None:
                    self.store.commit()  # readers (a running chat) reload after this, never mid-run
                stats = self.store.stats()
        report.documents, report.chunks = stats["documents"], stats["chunks"]
        report.seconds = time.perf_counter() - started
        return report

    # --- one file ------------------------------------------------------------------------------
    def _ingest_file(
        self, source: SourceFile, content_hash: str | None, report: IngestReport, ahead: ReadAhead
    ) -> bool:
        """Ingest one file if it changed; returns True if the store changed."""
        try:
            content_hash = content_hash or file_hash(source.path)  # None: hashing failed, so fail here, reported
            known = self.store.catalog.documents.get(source.doc_id)
            if self._twin(source, content_hash, report):
                return self._drop(known)
            if self._unchanged(source, content_hash):
                report.unchanged.append(source.doc_id)
                return False
            doc, chunks = ahead.take((source.doc_id, content_hash), (source, content_hash))
        except LoadError as exc:
            return self._skip(report, source.path, exc.reason + (f" — {exc.fix}" if exc.fix else ""))
        except StoreError:
            raise
        except RegionkunskapError as exc:
            return self._skip(report, source.path, str(exc))
        except Exception as exc:  # a bad file must not stop the batch; the message says it's on us
            log.debug("unexpected error ingesting %s", source.path, exc_info=True)
            return self._skip(report, source.path, f"unexpected {type(exc).__name__}: {exc} — please report this file")

        vectors = self._embed_chunks(chunks)
        record = DocumentRecord(
            doc_id=doc.doc_id,
            content_hash=content_hash,
            signature=self._signature(source.entry),
            path=absolute(source.path),
            chunk_ids=[],
            meta=doc.meta.flat(),
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self.store.write_document(record, chunks, vectors)
        (report.updated if known else report.added).append(doc.doc_id)
        report.chunks_written += len(chunks)
        return True

    def _read_ahead(self) -> ReadAhead:
        """Reading and chunking in the reader process, a few files ahead of embedding (`ingest.prepare`)."""

        def read(item: tuple[SourceFile, str]) -> tuple[Document, list[Chunk]]:
            source, content_hash = item
            return read_sandboxed(
                prepare,
                source.path,
                source,
                content_hash,
                limits=self.limits,
                chunk_words=self.chunk_words,
                overlap_words=self.overlap_words,
            )

        def warm() -> None:
            read_sandboxed(warm_up, Path("(warm-up)"), limits=self.limits)

        return ReadAhead(read, depth=READ_AHEAD_FILES, warm_up=warm)

    def _likely_reads(self, files: Sequence[SourceFile], hashes: dict[str, str | None]) -> list:
        """The files the run will read, as `ReadAhead.plan` takes them: all but the unchanged ones.

        A twin found on the way (`_twin`) is read for nothing; that is rare, and its read is only dropped."""
        return [
            ((source.doc_id, content_hash), (source, content_hash))
            for source in files
            if (content_hash := hashes[source.doc_id]) and not self._unchanged(source, content_hash)
        ]

    def _unchanged(self, source: SourceFile, content_hash: str) -> bool:
        """Whether the store holds this file's bytes, read by this code and configuration, completely."""
        known = self.store.catalog.documents.get(source.doc_id)
        return bool(
            known
            and known.content_hash == content_hash
            and known.signature == self._signature(source.entry)
            and self._complete(known)
        )

    def _skip(self, report: IngestReport, path: Path, reason: str) -> bool:
        log.info("skipped %s: %s", path, reason)  # reported once, by the caller, from report.skipped
        report.skipped.append(Skipped(printable(path), reason))  # a name with a newline stays on one line
        return False

    def _complete(self, record: DocumentRecord) -> bool:
        """Whether Chroma still holds every chunk the catalog lists for the document."""
        return all(cid in self._present for cid in record.chunk_ids)

    def _twin(self, source: SourceFile, content_hash: str, report: IngestReport) -> bool:
        """True if another stored document with a file still in place has exactly these bytes.

        A twin whose file is gone was renamed: this file then takes over, and the old record is removed.
        """
        for other in list(self.store.catalog.documents.values()):
            if other.content_hash != content_hash or other.doc_id == source.doc_id:
                continue
            if Path(other.path).exists():
                reason = f"identical to document '{other.doc_id}' — stored once"
                report.duplicates.append(Skipped(str(source.path), reason))
                return True
            self.store.remove_document(other.doc_id)
            report.removed.append(other.doc_id)
        return False

    def _drop(self, known: DocumentRecord | None) -> bool:
        """Remove a document's earlier version (its file now duplicates another's)."""
        if known is None:
            return False
        self.store.remove_document(known.doc_id)
        return True

    def _signature(self, entry: dict | None) -> str:
        """Everything besides the file's bytes that decides its chunks and vectors: code, sizes, manifest entry."""
        parts = {
            "code": _code_fingerprint(),
            "vectors": self._vector_format,
            "chunk_words": self.chunk_words,
            "overlap_words": self.overlap_words,
            "manifest": entry,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]

    # --- embedding -----------------------------------------------------------------------------
    def _embed_chunks(self, chunks: list[Chunk]) -> list[list[float]]:
        """The chunks' vectors; each chunk also gets its sentences' vectors, packed.

        Chunks and sentences are embedded in separate calls: batched together, the longest sentences shared a
        batch with the chunks and were padded to a chunk's length (on 60 SweQUAD-MC texts the model ran 107 s
        that way, 59 s apart). A sentence is embedded once however often it occurs: consecutive chunks overlap,
        and documents repeat lines (10–18% of the units of the bundled corpus and of SweQUAD-MC's texts)."""
        units = [unit_texts(c.text) for c in chunks]
        distinct = list(dict.fromkeys(u for texts in units for u in texts))
        vectors = self._embed([c.embed_text for c in chunks])
        by_text = dict(zip(distinct, self._embed(distinct), strict=True))
        for chunk, texts in zip(chunks, units, strict=True):
            chunk.unit_vectors = pack([by_text[u] for u in texts])
        return vectors

    def _embed(self, texts: list[str]) -> list[list[float]]:
        return self._get_embedder().embed_passages(texts, progress=self.progress)

    def _get_embedder(self):
        if self._embedder is None:
            from ingest.indexing.embedder import ingest_threads, make_embedder

            self._embedder = make_embedder(
                self.embedder_spec, self.model_cache, batch_size=self.batch_size, threads=ingest_threads(self.threads)
            )
        if not self._bound:
            self.store.bind_embedder(EmbedderInfo(self._embedder.name, self._embedder.dimension))
            self._bound = True
        return self._embedder

    # --- pruning -------------------------------------------------------------------------------
    def _prune(self, paths: Sequence[Path], seen: set[str], report: IngestReport) -> bool:
        """Remove documents whose files under the given (existing) folders are gone."""
        roots = [Path(absolute(p)) for p in paths if Path(p).expanduser().exists()]
        gone = []
        for rec in self.store.documents():
            stored = Path(absolute(rec.path))
            in_scope = any(stored == r or r in stored.parents for r in roots)
            if in_scope and rec.doc_id not in seen and not stored.exists():
                gone.append(rec.doc_id)
        for doc_id in gone:
            self.store.remove_document(doc_id)
            report.removed.append(doc_id)
        return bool(gone)


def _hash_or_none(path: Path) -> str | None:
    """The file's content hash, or None if it cannot be read now (the file's own turn reports why)."""
    try:
        return file_hash(path)
    except OSError:
        return None


_FINGERPRINT: str | None = None


def stage_modules(package: Path = Path(__file__).parent) -> list[Path]:
    """The modules of the ingest `package` that decide chunks (see `_NOT_STAGE_MODULES`), in a stable order."""
    found = []
    for file in sorted(package.rglob("*.py")):
        relative = file.relative_to(package).as_posix()
        if {file.name, relative, relative.split("/")[0]} & _NOT_STAGE_MODULES:
            continue
        found.append(file)
    return found


def _code_fingerprint() -> str:
    """A hash of the ingest code that decides chunks: a change re-ingests every document."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = fingerprint(stage_modules())
    return _FINGERPRINT


def fingerprint(files: Sequence[Path]) -> str:
    """A short hash of the files' contents, in the order given."""
    h = hashlib.sha256()
    for file in files:
        h.update(file.read_bytes())
    return h.hexdigest()[:16]
