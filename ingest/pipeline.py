"""Ingest: files → cleaned, repaired, chunked, embedded documents in the store.

    report = Ingestor(store, embedder_spec="e5-small", model_cache=cache).run([Path("corpus")], prune=True)

Incremental and idempotent: a file whose bytes, metadata and ingest code are unchanged is not touched; a
changed file has its chunks replaced; with `prune`, documents whose files are gone from the given folders are
removed. A file that cannot be read is reported with the reason and the fix, and the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from tqdm import tqdm

from ingest.errors import ConfigError, LoadError, RegionkunskapError, StoreError
from ingest.metadata import MANIFEST_NAME, Manifest, infer_meta
from ingest.pages import merge_page_starts, toc_entries
from ingest.store import DocumentRecord, EmbedderInfo, Store
from ingest.types import Chunk, Document, DocumentMeta, Page, file_hash

log = logging.getLogger(__name__)

# The modules whose code decides what a document's chunks are: when they change, documents are re-ingested.
_STAGE_MODULES = (
    "loaders", "clean", "repair", "chunking", "sentences", "types", "metadata", "pages", "pipeline", "sections",
)


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
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "duplicates": [vars(s) for s in self.duplicates], "skipped": [vars(s) for s in self.skipped],
            "chunks_written": self.chunks_written, "seconds": round(self.seconds, 2),
            "chunks_per_second": round(self.chunks_per_second, 1),
            "documents": self.documents, "chunks": self.chunks,
        }


@dataclass(frozen=True)
class SourceFile:
    """A file found for ingest, with its document id and the manifest that may describe it."""

    path: Path
    doc_id: str
    manifest: Manifest
    root: Path


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
    ):
        if overlap_words >= chunk_words:
            raise ConfigError(f"chunk overlap ({overlap_words} words) must be smaller than the chunk size ({chunk_words})")
        self.store = store
        self.embedder_spec = embedder_spec
        self.model_cache = Path(model_cache)
        self.chunk_words = chunk_words
        self.overlap_words = overlap_words
        self.batch_size = batch_size
        self.threads = threads
        self.progress = progress
        self._embedder = embedder  # built on first need: loading a model costs seconds

    def run(self, paths: Sequence[Path], *, prune: bool = False) -> IngestReport:
        """Ingest every supported file under `paths`; see the module docstring."""
        started = time.perf_counter()
        report = IngestReport()
        self.store.check_embedder(self.embedder_spec)  # fail before loading anything
        with self.store.writing():
            files = self._discover(paths, report)
            changed = False
            for source in tqdm(files, desc="Dokument", unit="fil", disable=not self.progress or len(files) < 2):
                changed |= self._ingest_file(source, report)
            if prune:
                changed |= self._prune(paths, {f.doc_id for f in files}, report)
            if changed or not self.store.bm25_is_current():
                self.store.rebuild_bm25()
            stats = self.store.stats()
        report.documents, report.chunks = stats["documents"], stats["chunks"]
        report.seconds = time.perf_counter() - started
        return report

    # --- discovery ---------------------------------------------------------------------------
    def _discover(self, paths: Sequence[Path], report: IngestReport) -> list[SourceFile]:
        found: dict[str, SourceFile] = {}
        for raw in paths:
            path = Path(raw).expanduser()
            if not path.exists():
                report.skipped.append(Skipped(str(path), "no such file or folder — check the path"))
                continue
            for source in _walk(path):
                if source.doc_id in found:
                    report.skipped.append(Skipped(
                        str(source.path),
                        f"same document id '{source.doc_id}' as {found[source.doc_id].path} — rename one of them",
                    ))
                    continue
                found[source.doc_id] = source
        return list(found.values())

    # --- one file ------------------------------------------------------------------------------
    def _ingest_file(self, source: SourceFile, report: IngestReport) -> bool:
        """Ingest one file if it changed; returns True if the store changed."""
        try:
            content_hash = file_hash(source.path)
            known = self.store.catalog.documents.get(source.doc_id)
            twin = self._stored_twin(source.doc_id, content_hash)
            if twin:
                report.duplicates.append(Skipped(str(source.path), f"identical to document '{twin}' — not stored twice"))
                return False
            doc = build_document(source, content_hash)
            signature = self._signature(doc.meta)
            if known and known.content_hash == content_hash and known.signature == signature:
                report.unchanged.append(source.doc_id)
                return False
            chunks = self._chunk(doc)
        except LoadError as exc:
            return self._skip(report, source.path, exc.reason + (f" — {exc.fix}" if exc.fix else ""))
        except StoreError:
            raise
        except RegionkunskapError as exc:
            return self._skip(report, source.path, str(exc))
        except Exception as exc:  # a bad file must not stop the batch; the message says it's on us
            log.exception("unexpected error ingesting %s", source.path)
            return self._skip(report, source.path, f"unexpected {type(exc).__name__}: {exc} — please report this file")

        vectors = self._embed([c.embed_text for c in chunks])
        record = DocumentRecord(
            doc_id=doc.doc_id, content_hash=content_hash, signature=signature, path=str(source.path),
            chunk_ids=[], meta=doc.meta.flat(), ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        self.store.write_document(record, chunks, vectors)
        (report.updated if known else report.added).append(doc.doc_id)
        report.chunks_written += len(chunks)
        return True

    def _chunk(self, doc: Document) -> list[Chunk]:
        from ingest.chunking import chunk_document

        chunks = chunk_document(doc, max_words=self.chunk_words, overlap_words=self.overlap_words)
        if not chunks:
            raise LoadError(doc.meta.path, "no text left after cleaning", "check that the file has readable text")
        for chunk in chunks:
            chunk.page_estimated = doc.page_is_estimated(chunk.start)
        return chunks

    def _skip(self, report: IngestReport, path: Path, reason: str) -> bool:
        log.warning("skipped %s: %s", path, reason)
        report.skipped.append(Skipped(str(path), reason))
        return False

    def _stored_twin(self, doc_id: str, content_hash: str) -> str | None:
        for other in self.store.catalog.documents.values():
            if other.content_hash == content_hash and other.doc_id != doc_id:
                return other.doc_id
        return None

    def _signature(self, meta: DocumentMeta) -> str:
        """Everything besides the file's bytes that decides its chunks: code, chunk sizes, metadata."""
        parts = {
            "code": _code_fingerprint(),
            "chunk_words": self.chunk_words,
            "overlap_words": self.overlap_words,
            "meta": {k: v for k, v in meta.flat().items() if k != "path"},
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]

    # --- embedding -----------------------------------------------------------------------------
    def _embed(self, texts: list[str]) -> list[list[float]]:
        embedder = self._get_embedder()
        return embedder.embed_passages(texts, progress=self.progress)

    def _get_embedder(self):
        if self._embedder is None:
            from ingest.embedder import make_embedder

            self._embedder = make_embedder(
                self.embedder_spec, self.model_cache, batch_size=self.batch_size, threads=self.threads
            )
        self.store.bind_embedder(EmbedderInfo(self._embedder.name, self._embedder.dimension))
        return self._embedder

    # --- pruning -------------------------------------------------------------------------------
    def _prune(self, paths: Sequence[Path], seen: set[str], report: IngestReport) -> bool:
        """Remove documents whose files under the given folders are gone."""
        roots = [Path(p).expanduser().resolve() for p in paths]
        gone = []
        for rec in self.store.documents():
            stored = Path(rec.path).resolve()
            in_scope = any(stored == r or r in stored.parents for r in roots)
            if in_scope and rec.doc_id not in seen and not stored.exists():
                gone.append(rec.doc_id)
        for doc_id in gone:
            self.store.remove_document(doc_id)
            report.removed.append(doc_id)
        return bool(gone)


def build_document(source: SourceFile, content_hash: str, *, repair: Callable[[str], str] | None = None) -> Document:
    """Load, clean and repair one file into a Document with page offsets and metadata."""
    from ingest.clean import clean_pages, collapse_spaces
    from ingest.loaders import guess_title, load_file
    from ingest.repair import repair_text

    loaded = load_file(source.path)
    raw_pages = loaded.pages
    contents = toc_entries("\n".join(p.text for p in raw_pages))  # before cleaning drops the contents page
    pages = clean_pages(raw_pages)
    text, page_lines = join_pages(pages)
    # Cleaning keeps double spaces because they mark detached diacritics (`pa  en`); collapse them after repair.
    repaired = collapse_spaces((repair or repair_text)(text))
    if repaired.count("\n") != text.count("\n"):  # page mapping relies on line positions
        log.warning("%s: repair changed the line count; using unrepaired text", source.path)
        repaired = collapse_spaces(text)
    meta = source.manifest.meta_for(source.path, source.doc_id) or infer_meta(
        source.path, source.doc_id, repaired, loaded.title or guess_title(pages)
    )
    page_starts, estimated_from = merge_page_starts(_line_offsets(repaired, page_lines), repaired, contents)
    return Document(
        meta=meta, text=repaired, content_hash=content_hash, page_starts=page_starts, pages_estimated_from=estimated_from
    )


def join_pages(pages: Sequence[Page]) -> tuple[str, list[tuple[int, int]]]:
    """Join page texts with a newline; return the text and (first line index, page number) per numbered page."""
    lines: list[str] = []
    starts: list[tuple[int, int]] = []
    for page in pages:
        if page.number is not None:
            starts.append((len(lines), page.number))
        lines.extend(page.text.rstrip("\n").split("\n"))
    return "\n".join(lines), starts


def _line_offsets(text: str, page_lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Turn (line index, page) pairs into (character offset, page) pairs for `text`."""
    if not page_lines:
        return []
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    return [(offsets[i], page) for i, page in page_lines]


def _walk(path: Path) -> list[SourceFile]:
    """The files under `path` (or `path` itself) with document ids relative to it; hidden files are ignored."""
    if path.is_file():
        return [SourceFile(path, path.name, Manifest.load(path.parent), path.parent)]
    manifests: dict[Path, Manifest] = {}
    out = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = file.relative_to(path)
        if any(part.startswith(".") for part in rel.parts) or file.name == MANIFEST_NAME:
            continue
        folder = file.parent
        if folder not in manifests:
            manifests[folder] = Manifest.load(folder)
        out.append(SourceFile(file, rel.as_posix(), manifests[folder], path))
    return out


_FINGERPRINT: str | None = None


def _code_fingerprint() -> str:
    global _FINGERPRINT
    if _FINGERPRINT is None:
        here = Path(__file__).parent
        h = hashlib.sha256()
        for name in _STAGE_MODULES:
            file = here / f"{name}.py"
            if file.exists():
                h.update(file.read_bytes())
        _FINGERPRINT = h.hexdigest()[:16]
    return _FINGERPRINT
