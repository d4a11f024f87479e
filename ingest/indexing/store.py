"""The store: Chroma (chunks + vectors), a BM25 index and a catalog of documents, in one data directory.

Only ingest writes it; the assistant reads it through the same class. Layout of the data directory::

    catalog.json   documents (content hash, ingest signature, chunk ids, metadata) and the embedder
    chroma/        the embedded Chroma database (absent when a Chroma server is used)
    bm25/          the BM25 index over all chunks, rebuilt after every ingest that changed something
    .lock          held while ingest writes, so two ingests never interleave

Writes are atomic per document: a document's new chunks are upserted before its stale chunks are deleted,
and its catalog entry is replaced (atomically, by rename) only after Chroma holds the complete set.
A crash therefore leaves at worst a few stale chunks, which readers ignore (they only serve chunk ids the
catalog lists) and the next ingest removes.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ingest.types import Chunk
from regionkunskap.errors import ConfigError, EmbedderMismatchError, StoreError

log = logging.getLogger(__name__)

CATALOG_VERSION = 1
# Chroma rejects batches above ~5k records; stay well below.
_BATCH = 1000


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
    """What the store holds: documents by id, and the embedder that built it."""

    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    embedder: EmbedderInfo | None = None
    # Which Chroma (folder or URL, and collection) the documents were written to.
    chroma: str = ""

    @classmethod
    def read(cls, path: Path) -> "Catalog":
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            docs = {k: DocumentRecord(**v) for k, v in raw.get("documents", {}).items()}
            emb = EmbedderInfo(**raw["embedder"]) if raw.get("embedder") else None
            chroma = str(raw.get("chroma", ""))
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(
                f"{path}: the store's catalog is unreadable ({exc}); delete the data directory "
                f"{path.parent} and run `regionkunskap ingest` again"
            ) from exc
        return cls(documents=docs, embedder=emb, chroma=chroma)

    def write(self, path: Path) -> None:
        """Write atomically: a temp file in the same folder, then rename."""
        data = {
            "version": CATALOG_VERSION,
            "embedder": asdict(self.embedder) if self.embedder else None,
            "chroma": self.chroma,
            "documents": {k: asdict(v) for k, v in sorted(self.documents.items())},
        }
        tmp = path.with_suffix(".json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, indent=1))
            fh.flush()
            os.fsync(fh.fileno())  # the rename must not land before the data on a power cut
        os.replace(tmp, path)


class Store:
    """A data directory holding the chunks of ingested documents; see the module docstring."""

    def __init__(self, data_dir: Path, *, chroma_url: str | None = None, collection: str = "regionkunskap"):
        if not collection or not collection.replace("-", "").replace("_", "").isalnum() or len(collection) < 3:
            raise ConfigError(f"collection name {collection!r} is invalid; use 3+ letters, digits, '-' or '_'")
        if chroma_url and urlparse(chroma_url).scheme not in ("http", "https"):
            raise ConfigError(f"chroma_url {chroma_url!r} must look like http://127.0.0.1:8000")
        self.data_dir = Path(data_dir).expanduser()
        self.chroma_url = chroma_url
        self.collection_name = collection
        self._collection = None
        self._catalog: Catalog | None = None
        self._chunks: dict[str, Chunk] | None = None
        self._bm25 = None
        self._vector_store = None

    # --- locations -------------------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.json"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def location(self) -> str:
        """Where the vectors live: the Chroma folder or the server URL."""
        return self.chroma_url or str(self.data_dir / "chroma")

    # --- catalog -----------------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog.read(self.catalog_path)
        return self._catalog

    def generation(self) -> int | None:
        """Changes whenever an ingest changes the store (the catalog's modification time), None if empty."""
        try:
            return self.catalog_path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

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
                f"not '{name}'; use --embedder {built.name}, or set REGIONKUNSKAP_STORE to another folder "
                f"to build a separate store with '{name}'"
            )

    # --- Chroma --------------------------------------------------------------------------------
    def _client(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if not self.chroma_url:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(self.data_dir / "chroma"), settings=chroma_settings)
        url = urlparse(self.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several types for an unreachable server
            raise StoreError(
                f"cannot reach the Chroma server at {self.chroma_url} ({type(exc).__name__}); start it with "
                f"`chroma run --path DIR --port {url.port or 8000}` or unset REGIONKUNSKAP_CHROMA_URL"
            ) from exc
        return client

    def _get_collection(self, create: bool = False):
        """The Chroma collection, or None if it does not exist and `create` is False."""
        if self._collection is not None:
            return self._collection
        if not create and not self.chroma_url and not (self.data_dir / "chroma").exists():
            return None  # reading must not leave an empty database behind (a mistyped --store)
        client = self._client()
        # embedding_function=None everywhere: Chroma's default would download an English model.
        try:
            if create:
                emb = self.catalog.embedder
                self._collection = client.get_or_create_collection(
                    self.collection_name,
                    embedding_function=None,
                    metadata={"embedder": emb.name, "dimension": emb.dimension} if emb else None,
                    configuration={"hnsw": {"space": "cosine"}},
                )
            else:
                self._collection = client.get_collection(self.collection_name, embedding_function=None)
        except StoreError:
            raise
        except Exception as exc:
            if not create and "does not exist" in str(exc).lower():
                return None
            raise StoreError(f"{self.location}: cannot open collection '{self.collection_name}': {exc}") from exc
        return self._collection

    def _collection_embedder(self) -> EmbedderInfo | None:
        col = self._get_collection()
        meta = (col.metadata or {}) if col is not None else {}
        if "embedder" in meta:
            return EmbedderInfo(str(meta["embedder"]), int(meta["dimension"]))
        return None

    def chunk_count(self) -> int:
        col = self._get_collection()
        return col.count() if col is not None else 0

    # --- writing (ingest only) -----------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator["Store"]:
        """Hold the store's write lock; ingest wraps a whole run in this."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(
                    f"{self.data_dir} is being written by another `regionkunskap ingest`; wait for it to finish"
                ) from None
            self._catalog = Catalog.read(self.catalog_path)  # re-read under the lock
            self._follow_chroma()
            yield self

    def _follow_chroma(self) -> None:
        """If the catalog describes another Chroma (say, the embedded one before a server was set), start over."""
        here = f"{self.location}#{self.collection_name}"
        if self.catalog.chroma and self.catalog.chroma != here and self.catalog.documents:
            log.warning("the catalog lists documents stored in %s; ingesting them again into %s", self.catalog.chroma, here)
            self.catalog.documents.clear()
            self.catalog.embedder = None
        self.catalog.chroma = here

    def bind_embedder(self, info: EmbedderInfo) -> None:
        """Record the embedder for an empty store, or check it matches the one that built it."""
        self.check_embedder(info.name, info.dimension)
        if self.catalog.embedder is None:
            self.catalog.embedder = info
            self.catalog.write(self.catalog_path)
        self._get_collection(create=True)

    def write_document(self, record: DocumentRecord, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        """Store one document's chunks: upsert the new set, delete stale ones, then update the catalog."""
        if len(chunks) != len(embeddings):
            raise StoreError(f"{record.path}: {len(chunks)} chunks but {len(embeddings)} vectors (a bug; please report)")
        col = self._get_collection(create=True)
        nodes = [_to_node(c, e) for c, e in zip(chunks, embeddings)]
        for i in range(0, len(nodes), _BATCH):
            _upsert_nodes(col, nodes[i : i + _BATCH])
        new_ids = {c.id for c in chunks}
        stale = [i for i in self._stored_ids(record.doc_id) if i not in new_ids]
        if stale:
            col.delete(ids=stale)
        record.chunk_ids = [c.id for c in chunks]
        self.catalog.documents[record.doc_id] = record
        self.catalog.write(self.catalog_path)
        self._chunks = None

    def remove_document(self, doc_id: str) -> None:
        """Delete a document's chunks and its catalog entry."""
        col = self._get_collection()
        if col is not None:
            ids = self._stored_ids(doc_id)
            if ids:
                col.delete(ids=ids)
        self.catalog.documents.pop(doc_id, None)
        self.catalog.write(self.catalog_path)
        self._chunks = None

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

    def remove_orphans(self) -> int:
        """Delete chunks the catalog does not list (left by an interrupted ingest); returns how many."""
        listed = {cid for rec in self.catalog.documents.values() for cid in rec.chunk_ids}
        orphans = sorted(self.stored_ids() - listed)
        col = self._get_collection()
        for i in range(0, len(orphans), _BATCH):
            col.delete(ids=orphans[i : i + _BATCH])
        if orphans:
            self._chunks = None
        return len(orphans)

    def _stored_ids(self, doc_id: str) -> list[str]:
        col = self._get_collection()
        if col is None:
            return []
        return list(col.get(where={"doc_id": doc_id}, include=[])["ids"])

    def rebuild_bm25(self) -> None:
        """Rebuild the BM25 index from every chunk the catalog lists (cheap: well under a second per 1000 chunks)."""
        from ingest.indexing.bm25 import BM25Index

        BM25Index.build(list(self.chunks().values())).save(self.bm25_dir)
        self._bm25 = None

    # --- reading (the assistant's interface) ----------------------------------------------------
    def chunks(self) -> dict[str, Chunk]:
        """All chunks the catalog lists, by id, in document order (loaded once and cached)."""
        if self._chunks is None:
            self._chunks = self._load_chunks()
        return self._chunks

    def _load_chunks(self) -> dict[str, Chunk]:
        col = self._get_collection()
        if col is None:
            return {}
        listed = {cid: doc for doc, rec in self.catalog.documents.items() for cid in rec.chunk_ids}
        found: dict[str, Chunk] = {}
        offset = 0
        while True:
            got = col.get(include=["documents", "metadatas"], limit=_BATCH, offset=offset)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                if cid in listed:
                    found[cid] = Chunk.from_stored(cid, text, meta)
            if len(got["ids"]) < _BATCH:
                break
            offset += _BATCH
        order = {cid: i for i, cid in enumerate(listed)}
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
        """The persisted BM25 index (loaded once); rebuilt in memory if it is missing or outdated."""
        if self._bm25 is None:
            from ingest.indexing.bm25 import BM25Index

            try:
                self._bm25 = BM25Index.load(self.bm25_dir)
            except StoreError as exc:
                if not self.catalog.documents:
                    raise
                # Derived data: rebuild from the chunks rather than refuse to answer. Ingest saves it again.
                log.warning("%s; rebuilding the BM25 index in memory", exc)
                self._bm25 = BM25Index.build(list(self.chunks().values()))
        return self._bm25

    def bm25_is_current(self) -> bool:
        """True if a saved BM25 index exists, this code can read it, and it covers exactly the catalog's chunks."""
        from ingest.indexing.bm25 import BM25Index

        try:
            index = BM25Index.load(self.bm25_dir)
        except StoreError:
            return False
        return set(index.chunk_ids) == {cid for rec in self.catalog.documents.values() for cid in rec.chunk_ids}

    def stats(self) -> dict[str, Any]:
        """What `regionkunskap status` shows."""
        emb = self.embedder
        return {
            "store": str(self.data_dir),
            "chroma": self.location,
            "collection": self.collection_name,
            "embedder": emb.name if emb else None,
            "dimension": emb.dimension if emb else None,
            "documents": len(self.catalog.documents),
            "chunks": self.chunk_count(),
        }


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
