"""The store: chunks and vectors in Chroma, a catalog of documents, and a BM25 index over the chunks.

    store = Store.from_settings(settings)     # embedded, or on a Chroma server when chroma_url is set
    store.chunks(); store.bm25(); store.vector_store(); store.refresh()

Embedded (the default), everything lives in the data directory::

    catalog.json   documents (content hash, ingest signature, chunk ids, metadata) and the embedder
    generation     changes once per committed ingest; long-running readers poll it
    chroma/        the embedded Chroma database
    bm25/          the BM25 index over all listed chunks, saved by every ingest that changed something
    .lock          held while ingest writes (filelock), so two ingests never interleave

On a Chroma server (`chroma_url`), the store is one namespace there — a Chroma database `rk-<namespace>`
holding the chunks collection and a catalog collection (documents, embedder, generation, ingest lease) — so
every process on any machine with the same URL and namespace serves the same store, each building its BM25
index from the chunks held there. The data directory then only keeps local files (feedback log).

Write order keeps readers and crashes safe: a document's new chunks are upserted, then its catalog record is
written, and only once the record is durable are its stale chunks deleted; a removed document loses its record
before its chunks. The catalog therefore never lists a chunk Chroma lacks; a crash leaves at worst unlisted
chunks, which readers ignore and the next ingest sweeps. Readers reload when the generation changes, which
happens once, after the ingest has committed everything (including the BM25 index).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingest.indexing.catalog import Catalog, DocumentRecord, EmbedderInfo, FileCatalog, ServerCatalog
from ingest.indexing.chroma import Chroma, ServerOptions
from ingest.types import Chunk
from regionkunskap.errors import ConfigError, EmbedderMismatchError, StoreError

__all__ = ["Store", "DocumentRecord", "EmbedderInfo", "Catalog", "default_namespace"]

log = logging.getLogger(__name__)

# Chroma rejects batches above ~5k records; stay well below.
_BATCH = 1000
# A reload that keeps racing ingests gives up after this many tries and serves what it has.
_RELOAD_TRIES = 5


def default_namespace(data_dir: Path) -> str:
    """A store's name on a server unless set: its folder's name, reduced to letters, digits, '-' and '_'."""
    name = unicodedata.normalize("NFKD", Path(data_dir).expanduser().name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_")[:60]
    return name or "regionkunskap"


class Store:
    """A store of ingested documents; see the module docstring."""

    def __init__(
        self,
        data_dir: Path,
        *,
        chroma_url: str | None = None,
        collection: str = "regionkunskap",
        namespace: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        lease_expiry: float = 60.0,
        follow_interval: float = 1.0,
    ):
        if not collection or not collection.replace("-", "").replace("_", "").isalnum() or len(collection) < 3:
            raise ConfigError(f"collection name {collection!r} is invalid; use 3+ letters, digits, '-' or '_'")
        if chroma_url and not chroma_url.startswith(("http://", "https://")):
            raise ConfigError(f"chroma_url {chroma_url!r} must look like http://127.0.0.1:8000")
        self._options: dict[str, Any] = {
            "chroma_url": chroma_url,
            "collection": collection,
            "namespace": namespace,
            "connect_timeout": connect_timeout,
            "read_timeout": read_timeout,
            "lease_expiry": lease_expiry,
            "follow_interval": follow_interval,
        }
        self.data_dir = Path(data_dir).expanduser()
        self.chroma_url = chroma_url.rstrip("/") if chroma_url else None
        self.collection_name = collection
        self.follow_interval = follow_interval
        if self.chroma_url:
            self.namespace: str | None = namespace or default_namespace(self.data_dir)
            server = ServerOptions(self.chroma_url, self.namespace, connect_timeout, read_timeout)
            self._chroma = Chroma(server=server)
            self._backend: FileCatalog | ServerCatalog = ServerCatalog(
                self._chroma, f"{collection}.catalog", lease_expiry=lease_expiry
            )
        else:
            self.namespace = None
            self._chroma = Chroma(folder=self.data_dir / "chroma")
            self._backend = FileCatalog(self.data_dir)
        self._lock = threading.RLock()
        self._reset()
        self._pending_deletes: dict[str, set[str]] = {}  # doc id → chunk ids to delete once durable
        self._polled_at = 0.0
        from ingest.indexing.bm25 import TermCache

        self._terms = TermCache()  # server mode: reloads after an ingest only analyse the new chunks

    @classmethod
    def from_settings(cls, settings, *, data_dir: Path | None = None) -> Store:
        """The store the settings describe (`data_dir` overrides settings.store)."""
        return cls(
            data_dir if data_dir is not None else settings.store,
            chroma_url=settings.chroma_url,
            collection=settings.collection,
            namespace=settings.namespace,
            connect_timeout=settings.chroma_connect_timeout,
            read_timeout=settings.chroma_read_timeout,
            lease_expiry=settings.lease_expiry,
            follow_interval=settings.follow_interval,
        )

    def reopened(self) -> Store:
        """A new Store object for the same store, with the same options (nothing loaded yet)."""
        return Store(self.data_dir, **self._options)

    def _reset(self) -> None:
        """Forget everything loaded (catalog, chunks, indexes, open collection)."""
        self._catalog: Catalog | None = None
        self._chunks: dict[str, Chunk] | None = None
        self._bm25 = None
        self._vector_store = None
        self._collection: Any = None

    # --- locations -------------------------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.json"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def location(self) -> str:
        """Where the store lives: the Chroma folder, or the server URL and namespace."""
        if self.chroma_url:
            return f"{self.chroma_url} (namespace '{self.namespace}')"
        return str(self.data_dir / "chroma")

    # --- catalog -----------------------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = self._backend.load()
        return self._catalog

    def generation(self) -> str | None:
        """The store's committed generation as stored now (one small read); None before the first ingest."""
        return self._backend.generation()

    def documents(self) -> list[DocumentRecord]:
        """The stored documents, sorted by id."""
        return [self.catalog.documents[k] for k in sorted(self.catalog.documents)]

    @property
    def embedder(self) -> EmbedderInfo | None:
        """The embedder that built this store (None while it is empty)."""
        return self.catalog.embedder

    def check_embedder(self, name: str, dimension: int | None = None) -> None:
        """Raise EmbedderMismatchError unless `name` (and `dimension`) match the store's embedder."""
        built = self.embedder or self._collection_embedder()
        if built is None:
            return
        if built.name != name or (dimension is not None and built.dimension != dimension):
            raise EmbedderMismatchError(
                f"the store at {self.location} was built with embedder '{built.name}' ({built.dimension} dims), "
                f"not '{name}'; use --embedder {built.name}, or use another "
                f"{'REGIONKUNSKAP_NAMESPACE' if self.chroma_url else 'REGIONKUNSKAP_STORE'} "
                f"to build a separate store with '{name}'"
            )

    # --- following writers (readers) ----------------------------------------------------------------
    def refresh(self, *, force: bool = False) -> bool:
        """Reload if an ingest committed since this store was loaded; True if it did.

        Checks at most every `follow_interval` seconds unless `force`. A reload that races an ingest's commit
        (the generation moved while loading) is retried, so what is served is one committed state.
        """
        now = time.monotonic()
        if not force and now - self._polled_at < self.follow_interval:
            return False
        self._polled_at = now
        with self._lock:
            if self._catalog is not None and self._backend.generation() == self._catalog.generation:
                return False
            old_catalog, old_chunks = self._catalog, self._chunks or {}
            for _ in range(_RELOAD_TRIES):
                self._reload(old_catalog, old_chunks)
                if self._backend.generation() == self.catalog.generation:
                    break
                log.info("an ingest committed while the store reloaded; reloading again")
            return True

    def _reload(self, old_catalog: Catalog | None, old_chunks: dict[str, Chunk]) -> None:
        self._reset()
        if self.chroma_url is None:
            self._chroma.reopen()  # embedded Chroma keeps vectors in memory: see other processes' writes
        self._catalog = self._backend.load()
        # Chunks of documents whose record is unchanged are kept; the rest are fetched again.
        same = {
            doc
            for doc, rec in self._catalog.documents.items()
            if old_catalog is not None and old_catalog.documents.get(doc) == rec
        }
        self._chunks = self._load_chunks(reuse={cid: c for cid, c in old_chunks.items() if c.doc_id in same})

    # --- Chroma --------------------------------------------------------------------------------------
    def _get_collection(self, create: bool = False):
        """The chunks collection, or None if it does not exist and `create` is False."""
        if self._collection is not None:
            return self._collection
        emb = self.catalog.embedder
        metadata = {"embedder": emb.name, "dimension": emb.dimension} if emb else {}
        if self.namespace:
            metadata["store"] = self.namespace
        col = self._chroma.collection(self.collection_name, create=create, metadata=metadata or None)
        if col is not None and self.namespace and col.metadata.get("store") != self.namespace:
            raise StoreError(
                f"collection '{self.collection_name}' in namespace '{self.namespace}' on {self.chroma_url} was not "
                "created by this store; set REGIONKUNSKAP_NAMESPACE (or REGIONKUNSKAP_COLLECTION) to a name of its own"
            )
        self._collection = col
        return col

    def _collection_embedder(self) -> EmbedderInfo | None:
        col = self._get_collection()
        meta = col.metadata if col is not None else {}
        if "embedder" in meta:
            return EmbedderInfo(str(meta["embedder"]), int(meta["dimension"]))
        return None

    def chunk_count(self) -> int:
        """Chunks in the collection (listed or not)."""
        col = self._get_collection()
        return col.count() if col is not None else 0

    def stored_ids(self) -> set[str]:
        """Every chunk id in the Chroma collection (one round trip per 1000)."""
        col = self._get_collection()
        if col is None:
            return set()
        ids: set[str] = set()
        offset = 0
        while True:
            got = col.get(include=[], limit=_BATCH, offset=offset)["ids"]
            ids.update(got)
            if len(got) < _BATCH:
                return ids
            offset += _BATCH

    def _stored_ids(self, doc_id: str) -> list[str]:
        col = self._get_collection()
        if col is None:
            return []
        return list(col.get(where={"doc_id": doc_id}, include=[])["ids"])

    # --- writing (ingest only) ---------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Store]:
        """Hold the store's write lock (embedded) or lease (server); ingest wraps a whole run in this."""
        with self._backend.writing():
            self._reset()
            self._catalog = self._backend.load()  # re-read under the lock
            self._follow_chroma()
            try:
                yield self
            finally:
                self._backend.durable(self.catalog, force=not self._chroma.connection.down)

    def _follow_chroma(self) -> None:
        """Embedded: if the catalog lists documents stored in a Chroma server, start over here."""
        if self.chroma_url:
            return
        here = f"embedded#{self.collection_name}"
        before = self.catalog.chroma
        elsewhere = before.startswith("http") or (before.startswith("embedded#") and before != here)
        if elsewhere and self.catalog.documents:
            log.warning("the catalog lists documents stored in %s; ingesting them again into %s", before, here)
            self.catalog.documents.clear()
            self.catalog.embedder = None
        self.catalog.chroma = here

    def bind_embedder(self, info: EmbedderInfo) -> None:
        """Record the embedder for an empty store, or check it matches the one that built it."""
        self.check_embedder(info.name, info.dimension)
        if self.catalog.embedder is None:
            self._backend.set_embedder(self.catalog, info)
        self._get_collection(create=True)

    def write_document(
        self, record: DocumentRecord, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]
    ) -> None:
        """Store one document: upsert its chunks, write its record, then (once durable) delete its stale chunks."""
        if len(chunks) != len(embeddings):
            raise StoreError(
                f"{record.path}: {len(chunks)} chunks but {len(embeddings)} vectors (a bug; please report)"
            )
        col = self._get_collection(create=True)
        nodes = [_to_node(c, e) for c, e in zip(chunks, embeddings, strict=True)]  # lengths checked above
        for i in range(0, len(nodes), _BATCH):
            _upsert_nodes(col, nodes[i : i + _BATCH])
        record.chunk_ids = [c.id for c in chunks]
        stale = set(self._stored_ids(record.doc_id)) - set(record.chunk_ids)
        self._backend.put(self.catalog, record)
        self._pending_deletes.setdefault(record.doc_id, set()).update(stale)
        self._chunks = None
        self._settle()

    def remove_document(self, doc_id: str) -> None:
        """Remove a document's record, then (once durable) its chunks."""
        known = self.catalog.documents.get(doc_id)
        ids = set(self._stored_ids(doc_id)) | set(known.chunk_ids if known else ())
        self._backend.drop(self.catalog, doc_id)
        self._pending_deletes.setdefault(doc_id, set()).update(ids)
        self._chunks = None
        self._settle()

    def _settle(self, *, force: bool = False) -> None:
        """Delete chunks waiting for their records to be durably gone (never a chunk some record lists)."""
        if not self._pending_deletes or not self._backend.durable(self.catalog, force=force):
            return
        doomed = sorted(
            cid
            for doc_id, ids in self._pending_deletes.items()
            for cid in ids - set(getattr(self.catalog.documents.get(doc_id), "chunk_ids", ()))
        )
        col = self._get_collection()
        if col is not None:
            for i in range(0, len(doomed), _BATCH):
                col.delete(ids=doomed[i : i + _BATCH])
        self._pending_deletes.clear()

    def remove_orphans(self) -> int:
        """Delete this store's chunks no record lists (left by an interrupted ingest); returns how many."""
        self._settle(force=True)
        orphans = sorted(self.stored_ids() - self.catalog.listed_ids())
        col = self._get_collection()
        for i in range(0, len(orphans), _BATCH):
            col.delete(ids=orphans[i : i + _BATCH])
        if orphans:
            self._chunks = None
        return len(orphans)

    def prepare_bm25(self) -> None:
        """Load what `rebuild_bm25` needs (the analyser's word lists), for a caller that has to wait anyway."""
        if self.chroma_url is None:
            from ingest.swedish.analysis import load

            load()

    def rebuild_bm25(self) -> None:
        """Embedded: save the BM25 index over every listed chunk (on a server, each reader builds its own)."""
        from ingest.indexing.bm25 import BM25Index

        self._bm25 = None
        if self.chroma_url is None:
            BM25Index.build(list(self.chunks().values())).save(self.bm25_dir)

    def commit(self) -> str:
        """Make the run's writes durable and publish a new generation: readers reload after this."""
        self._settle(force=True)
        return self._backend.commit(self.catalog)

    # --- reading (the assistant's interface) ------------------------------------------------------------
    def chunks(self) -> dict[str, Chunk]:
        """All chunks the catalog lists, by id, in document order (loaded once and cached)."""
        with self._lock:
            if self._chunks is None:
                self._chunks = self._load_chunks()
            return self._chunks

    def _load_chunks(self, reuse: dict[str, Chunk] | None = None) -> dict[str, Chunk]:
        """The listed chunks; those in `reuse` (a previous load) are not fetched again."""
        col = self._get_collection()
        if col is None:
            return {}
        order = {cid: i for i, cid in enumerate(cid for rec in self.documents() for cid in rec.chunk_ids)}
        found = {cid: chunk for cid, chunk in (reuse or {}).items() if cid in order}
        missing = [cid for cid in order if cid not in found]
        for i in range(0, len(missing), _BATCH):
            got = col.get(ids=missing[i : i + _BATCH], include=["documents", "metadatas"])
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                found[cid] = Chunk.from_stored(cid, text, meta)
        return dict(sorted(found.items(), key=lambda kv: order[kv[0]]))

    def vector_store(self):
        """llama-index's ChromaVectorStore over the collection (built once: it is on every question's path)."""
        if self._vector_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            col = self._get_collection()
            if col is None:
                raise StoreError(f"the store at {self.location} is empty; run `regionkunskap ingest corpus/` first")
            self._vector_store = ChromaVectorStore(chroma_collection=col)
        return self._vector_store

    def bm25(self):
        """The BM25 index: embedded, the saved one (rebuilt in memory if missing or outdated); on a server,
        built from the chunks held there."""
        with self._lock:
            if self._bm25 is None:
                self._bm25 = self._load_bm25()
            return self._bm25

    def _load_bm25(self):
        from ingest.indexing.bm25 import BM25Index

        if self.chroma_url:
            return BM25Index.build(list(self.chunks().values()), terms=self._terms)
        try:
            index = BM25Index.load(self.bm25_dir)
        except StoreError as exc:
            if not self.catalog.documents:
                raise
            # Derived data: rebuild from the chunks rather than refuse to answer. Ingest saves it again.
            log.warning("%s; rebuilding the BM25 index in memory", exc)
            return BM25Index.build(list(self.chunks().values()))
        if set(index.chunk_ids) != self.catalog.listed_ids():
            log.info("the saved BM25 index is not the catalog's (an ingest is running); building one in memory")
            return BM25Index.build(list(self.chunks().values()))
        return index

    def bm25_is_current(self) -> bool:
        """Embedded: True if the saved BM25 index is readable and covers exactly the listed chunks."""
        from ingest.indexing.bm25 import BM25Index

        if self.chroma_url:
            return True
        try:
            index = BM25Index.load(self.bm25_dir)
        except StoreError:
            return False
        return set(index.chunk_ids) == self.catalog.listed_ids()

    def stats(self) -> dict[str, Any]:
        """What `regionkunskap status` shows; `chunks` counts what readers serve (listed and stored)."""
        emb = self.embedder
        listed = self.catalog.listed_ids()
        stored = self.stored_ids()
        return {
            "store": str(self.data_dir),
            "chroma": self.chroma_url or str(self.data_dir / "chroma"),
            "namespace": self.namespace,
            "collection": self.collection_name,
            "embedder": emb.name if emb else None,
            "dimension": emb.dimension if emb else None,
            "generation": self.catalog.generation,
            "documents": len(self.catalog.documents),
            "chunks": len(listed & stored),
            "unlisted_chunks": len(stored - listed),
            "missing_chunks": len(listed - stored),
        }

    def empty_error(self) -> StoreError:
        """The error for asking an empty store: what to ingest, or (on a server) which stores exist."""
        if not self.chroma_url:
            return StoreError(
                f"the store at {self.data_dir} is empty; run `regionkunskap ingest corpus/` (or `make chat`) first"
            )
        others = [n for n in self.namespaces() if n != self.namespace]
        if others:
            return StoreError(
                f"the Chroma server at {self.chroma_url} has no documents in store '{self.namespace}' "
                f"(REGIONKUNSKAP_NAMESPACE, by default the name of the REGIONKUNSKAP_STORE folder); it holds "
                f"{', '.join(repr(n) for n in others)} — set REGIONKUNSKAP_NAMESPACE to serve one of them, or run "
                "`regionkunskap ingest corpus/` to fill this one"
            )
        return StoreError(
            f"the store '{self.namespace}' on {self.chroma_url} is empty; run `regionkunskap ingest corpus/` first"
        )

    def namespaces(self) -> list[str]:
        """The stores on this store's Chroma server (empty when embedded)."""
        return self._chroma.namespaces()

    def close(self) -> None:
        """Close the Chroma client (embedded databases are shared per process until their last client closes)."""
        self._reset()
        self._chroma.reopen()


def _to_node(chunk: Chunk, embedding: Sequence[float]):
    """A llama-index TextNode whose source document is the chunk's document."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    node = TextNode(id_=chunk.id, text=chunk.text, embedding=list(embedding), metadata=chunk.metadata())
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=chunk.doc_id)
    return node


def _upsert_nodes(col, nodes) -> None:
    """Upsert in llama-index's Chroma record format (ChromaVectorStore.add would skip existing ids)."""
    from llama_index.core.schema import MetadataMode
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    col.upsert(
        ids=[n.node_id for n in nodes],
        embeddings=[n.get_embedding() for n in nodes],
        documents=[n.get_content(metadata_mode=MetadataMode.NONE) for n in nodes],
        metadatas=[node_to_metadata_dict(n, remove_text=True, flat_metadata=True) for n in nodes],
    )
