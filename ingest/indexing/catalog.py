"""The store's catalog: its documents (content hash, ingest signature, chunk ids, metadata), the embedder that
built it, and its *generation* — a token that changes once per committed ingest, which readers poll.

Two homes with one interface:

- `FileCatalog` (embedded store): `catalog.json` and a small `generation` file in the data directory; ingest
  holds `.lock` (filelock) while it writes, so two ingests never interleave.
- `ServerCatalog` (Chroma server): one record per document and a `state` record in the store's catalog
  collection on the server, beside the chunks; ingest holds a lease there (lease.py).

Writers call `put`/`drop` per document and `commit` once at the end of a run; `durable()` says whether what
was put is safely stored yet (the file catalog batches its rewrites: rewriting one large JSON file per
document would cost quadratic time on big corpora).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from regionkunskap.errors import StoreError

CATALOG_VERSION = 1
# The file catalog is rewritten at most this often during an ingest (and always at its end).
FLUSH_SECONDS = 2.0
# How long a second ingest waits for the lock before it is refused. Not zero: for a moment after an ingest
# dies (killed while it started its reader process), the lock can still read as taken.
LOCK_WAIT_SECONDS = 3.0
_PAGE = 1000


@dataclass(frozen=True)
class EmbedderInfo:
    """Which embedder built the store's vectors."""

    name: str
    dimension: int


@dataclass
class DocumentRecord:
    """The catalog's entry for one stored document."""

    doc_id: str
    content_hash: str
    signature: str
    path: str
    chunk_ids: list[str]
    meta: dict[str, Any]
    ingested_at: str


@dataclass
class Catalog:
    """What the store holds: documents by id, the embedder that built it, and the committed generation."""

    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    embedder: EmbedderInfo | None = None
    generation: str | None = None
    # Embedded stores only: which Chroma the documents were written to ("embedded#<collection>").
    chroma: str = ""

    def listed_ids(self) -> set[str]:
        """Every chunk id a document lists."""
        return {cid for rec in self.documents.values() for cid in rec.chunk_ids}


def next_generation(previous: str | None) -> str:
    """`<counter>.<random>`: the counter for people, the random part so two stores never share a token."""
    try:
        counter = int((previous or "0").split(".")[0]) + 1
    except ValueError:
        counter = 1
    return f"{counter}.{secrets.token_hex(4)}"


def _record(raw: dict) -> DocumentRecord:
    return DocumentRecord(**raw)


class FileCatalog:
    """The catalog of an embedded store: `catalog.json` + `generation` in the data directory."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.path = data_dir / "catalog.json"
        self.generation_path = data_dir / "generation"
        self._dirty = False
        self._flushed_at = 0.0

    def load(self) -> Catalog:
        catalog = Catalog(generation=self.generation())
        if not self.path.exists():
            return catalog
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            catalog.documents = {k: _record(v) for k, v in raw.get("documents", {}).items()}
            catalog.embedder = EmbedderInfo(**raw["embedder"]) if raw.get("embedder") else None
            catalog.chroma = str(raw.get("chroma", ""))
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(
                f"{self.path}: the store's catalog is unreadable ({exc}); delete the data directory "
                f"{self.data_dir} and run `regionkunskap ingest` again"
            ) from exc
        return catalog

    def generation(self) -> str | None:
        """The committed generation; None before the first commit."""
        try:
            return self.generation_path.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"cannot read {self.generation_path}: {exc}; check the data directory's permissions"
            ) from exc

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's ingest lock (released by the OS if the process dies)."""
        from filelock import FileLock, Timeout

        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.data_dir / ".lock", timeout=LOCK_WAIT_SECONDS)
        try:
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.data_dir} is being written by another `regionkunskap ingest`; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def put(self, catalog: Catalog, record: DocumentRecord) -> None:
        catalog.documents[record.doc_id] = record
        self._dirty = True

    def drop(self, catalog: Catalog, doc_id: str) -> None:
        if catalog.documents.pop(doc_id, None) is not None:
            self._dirty = True

    def set_embedder(self, catalog: Catalog, info: EmbedderInfo) -> None:
        catalog.embedder = info
        self._dirty = True
        self.durable(catalog, force=True)

    def durable(self, catalog: Catalog, *, force: bool = False) -> bool:
        """Make what was put durable (at most every FLUSH_SECONDS unless forced); True if it now is."""
        if not self._dirty:
            return True
        if not force and time.monotonic() - self._flushed_at < FLUSH_SECONDS:
            return False
        data = {
            "version": CATALOG_VERSION,
            "embedder": asdict(catalog.embedder) if catalog.embedder else None,
            "chroma": catalog.chroma,
            "documents": {k: asdict(v) for k, v in sorted(catalog.documents.items())},
        }
        _write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        self._dirty = False
        self._flushed_at = time.monotonic()
        return True

    def commit(self, catalog: Catalog) -> str:
        """Make everything durable, then publish a new generation: readers reload after this."""
        self.durable(catalog, force=True)
        catalog.generation = next_generation(catalog.generation)
        _write_atomically(self.generation_path, catalog.generation)
        return catalog.generation


class ServerCatalog:
    """The catalog of a store on a Chroma server: records in the store's catalog collection."""

    STATE = "state"
    DOC_PREFIX = "doc:"

    def __init__(self, chroma, collection_name: str, *, lease_expiry: float = 60.0):
        self.chroma = chroma
        self.collection_name = collection_name
        self.lease_expiry = lease_expiry
        self._lease: Any = None  # the ServerLease while writing

    def _collection(self, create: bool = False):
        return self.chroma.collection(self.collection_name, create=create, metadata={"regionkunskap": "catalog"})

    def load(self) -> Catalog:
        col = self._collection()
        if col is None:
            return Catalog()
        state = self._state(col)
        catalog = Catalog(generation=state.get("generation"))
        if state.get("embedder"):
            catalog.embedder = EmbedderInfo(**state["embedder"])
        offset = 0
        while True:
            got = col.get(where={"kind": "document"}, include=["documents"], limit=_PAGE, offset=offset)
            for text in got["documents"]:
                record = _record(json.loads(text))
                catalog.documents[record.doc_id] = record
            if len(got["ids"]) < _PAGE:
                return catalog
            offset += _PAGE

    def generation(self) -> str | None:
        col = self._collection()
        return self._state(col).get("generation") if col is not None else None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's ingest lease on the server (lease.py)."""
        from ingest.indexing.lease import ServerLease

        lease = ServerLease(
            self._collection(create=True),
            store=self.chroma.server.namespace,
            expiry=self.lease_expiry,
            connection=self.chroma.connection,
        )
        lease.acquire()
        self._lease = lease
        try:
            yield
        finally:
            self._lease = None
            lease.release()

    def _check_lease(self) -> None:
        if self._lease is not None:
            self._lease.check()

    def _state(self, col) -> dict:
        got = col.get(ids=[self.STATE], include=["documents"])
        return json.loads(got["documents"][0]) if got["ids"] else {}

    def _put_state(self, catalog: Catalog) -> None:
        state = {
            "format": CATALOG_VERSION,
            "embedder": asdict(catalog.embedder) if catalog.embedder else None,
            "generation": catalog.generation,
            "committed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        _upsert(self._collection(create=True), self.STATE, "state", state)

    def put(self, catalog: Catalog, record: DocumentRecord) -> None:
        self._check_lease()
        _upsert(self._collection(create=True), self.DOC_PREFIX + record.doc_id, "document", asdict(record))
        catalog.documents[record.doc_id] = record

    def drop(self, catalog: Catalog, doc_id: str) -> None:
        self._check_lease()
        col = self._collection()
        if col is not None:
            col.delete(ids=[self.DOC_PREFIX + doc_id])
        catalog.documents.pop(doc_id, None)

    def set_embedder(self, catalog: Catalog, info: EmbedderInfo) -> None:
        catalog.embedder = info
        self._put_state(catalog)

    def durable(self, catalog: Catalog, *, force: bool = False) -> bool:
        return True  # every put is one record, written at once

    def commit(self, catalog: Catalog) -> str:
        self._check_lease()
        catalog.generation = next_generation(catalog.generation)
        self._put_state(catalog)
        return catalog.generation


def _upsert(col, record_id: str, kind: str, data: dict) -> None:
    """One catalog record; Chroma wants an embedding for every record, so each gets the same 1-d one."""
    col.upsert(
        ids=[record_id],
        embeddings=[[1.0]],
        documents=[json.dumps(data, ensure_ascii=False)],
        metadatas=[{"kind": kind}],
    )


def _write_atomically(path: Path, text: str) -> None:
    """A temp file in the same folder, fsynced, then renamed over `path`."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())  # the rename must not land before the data on a power cut
    os.replace(tmp, path)
