"""Hybrid retrieval: dense (the store's embedder over Chroma) + BM25 (Swedish analyser), fused, filtered.

    retriever = HybridRetriever(store, embedder, mode="hybrid")
    found = retriever.search("Hur stor är budgeten för North Sweden Green Deal?", k=5, filters={"region": "Norrbotten"})
    found.passages, found.timings

`HybridRetriever` is a llama-index `BaseRetriever`: its public `retrieve(query)` returns `NodeWithScore`s with
each chunk's text and metadata, so the Swedish hybrid retrieval drops into a llama-index query engine or agent::

    engine = RetrieverQueryEngine.from_args(HybridRetriever(store, embedder, top_k=5), llm=..., response_mode=...)

The project's own path (`Assistant.ask`) calls `search`, which keeps the fused, dense and BM25 scores of every
passage and returns the time each stage took.

Fusion is a weighted sum of per-query normalised scores (each method's scores divided by its best score),
with BM25 weighted higher: measured on these documents, plain reciprocal-rank fusion lost to BM25 at rank 1,
because BM25's score gaps carry information that ranks throw away. The weight is a setting, tuned with the
eval set (`regionkunskap eval --compare`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from assistant.answer import Passage
from ingest.indexing.store import Store
from ingest.reading.metadata import regions_of
from ingest.types import DocumentMeta
from regionkunskap.errors import ConfigError
from regionkunskap.settings import RETRIEVAL_MODES, RetrievalMode

# User-facing filter names → the document field they test.
FILTER_ALIASES = {
    "document": "doc_id",
    "doc": "doc_id",
    "doc_id": "doc_id",
    "region": "region",
    "year": "year",
    "type": "doc_type",
    "doc_type": "doc_type",
    "organisation": "organisation",
    "organization": "organisation",
}
# mode → (weight of dense, weight of BM25) in the fused score.
_WEIGHTS = {"dense": (1.0, 0.0), "bm25": (0.0, 1.0)}


class Reranker(Protocol):
    """An optional last stage that reorders the fused candidates (e.g. a local cross-encoder)."""

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]: ...


@dataclass(frozen=True)
class RetrievalTimings:
    """Milliseconds per stage of one search (0 for a stage the mode skips)."""

    embed_ms: float = 0.0
    dense_ms: float = 0.0
    bm25_ms: float = 0.0
    rerank_ms: float = 0.0


@dataclass(frozen=True)
class Retrieval:
    """What one search found: the passages, best first, and how long each stage took."""

    passages: list[Passage]
    timings: RetrievalTimings


class HybridRetriever(BaseRetriever):
    """Finds the passages for a question: `search()` for passages with their scores, `retrieve()` for llama-index."""

    def __init__(
        self,
        store: Store,
        embedder=None,
        *,
        mode: RetrievalMode = "hybrid",
        bm25_weight: float = 0.7,
        candidates: int = 40,
        reranker: Reranker | None = None,
        top_k: int = 5,
        filters: Mapping[str, object] | None = None,
    ):
        if mode not in RETRIEVAL_MODES:
            raise ConfigError(f"retrieval mode {mode!r} is unknown; use one of {', '.join(RETRIEVAL_MODES)}")
        if mode != "bm25" and embedder is None:
            raise ConfigError(f"retrieval mode {mode!r} needs an embedder; pass one or use mode='bm25'")
        if not 0.0 <= bm25_weight <= 1.0:
            raise ConfigError(f"bm25_weight must be between 0 and 1 (got {bm25_weight})")
        _check_k(top_k)
        super().__init__()
        self.store = store
        self.embedder = embedder
        self.mode = mode
        self.bm25_weight = bm25_weight
        self.candidates = candidates
        self.reranker = reranker
        # What `retrieve()` (the llama-index entry point) asks for; `search()` takes them per call.
        self.top_k = top_k
        self.filters = filters
        self._chunks = store.chunks()
        self._embed_query = lru_cache(maxsize=256)(self._embed_uncached)

    def clear_cache(self) -> None:
        """Forget cached query embeddings (benchmarks measure uncached questions)."""
        self._embed_query.cache_clear()

    def search(self, question: str, k: int = 5, filters: Mapping[str, object] | None = None) -> Retrieval:
        """The `k` best passages for `question`, best first, within `filters` (document, region, year, type),
        with the time each stage took."""
        _check_k(k)
        doc_ids = resolve_filters(self.store, filters)
        if doc_ids is not None and not doc_ids:
            return Retrieval([], RetrievalTimings())
        n = max(k, self.candidates)
        dense, embed_ms, dense_ms = self._dense(question, n, doc_ids) if self.mode != "bm25" else ({}, 0.0, 0.0)
        sparse, bm25_ms = self._bm25(question, n, doc_ids) if self.mode != "dense" else ({}, 0.0)
        passages = self._fuse(dense, sparse)
        rerank_ms = 0.0
        if self.reranker is not None and passages:
            started = time.perf_counter()
            passages = self.reranker.rerank(question, passages)
            rerank_ms = _ms_since(started)
        ranked = [replace(p, rank=i) for i, p in enumerate(passages[:k], start=1)]
        return Retrieval(ranked, RetrievalTimings(embed_ms, dense_ms, bm25_ms, rerank_ms))

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """llama-index's entry point (`retrieve()` wraps it): the `top_k` passages as scored nodes."""
        found = self.search(query_bundle.query_str, self.top_k, self.filters)
        return [NodeWithScore(node=p.chunk.to_node(), score=p.score) for p in found.passages]

    def _fuse(self, dense: Mapping[str, float], sparse: Mapping[str, float]) -> list[Passage]:
        """Candidates of both methods by weighted normalised score, best first (ties by chunk id)."""
        w_dense, w_bm25 = _WEIGHTS.get(self.mode, (1 - self.bm25_weight, self.bm25_weight))
        dense_n, bm25_n = _min_max(dense), _by_top(sparse)
        fused = {
            cid: w_dense * dense_n.get(cid, 0.0) + w_bm25 * bm25_n.get(cid, 0.0)
            for cid in set(dense) | set(sparse)
            if cid in self._chunks
        }
        order = sorted(fused, key=lambda cid: (-fused[cid], cid))
        return [
            Passage(self._chunks[cid], fused[cid], rank=0, dense_score=dense.get(cid), bm25_score=sparse.get(cid))
            for cid in order
        ]

    def _dense(self, question: str, n: int, doc_ids: set[str] | None) -> tuple[dict[str, float], float, float]:
        """Cosine similarity of the `n` nearest chunks, with the embedding and the search time (ms)."""
        from llama_index.core.vector_stores.types import (
            FilterOperator,
            MetadataFilter,
            MetadataFilters,
            VectorStoreQuery,
        )

        started = time.perf_counter()
        embedding = self._embed_query(question)
        embed_ms = _ms_since(started)
        filters = None
        if doc_ids is not None:
            only = MetadataFilter(key="doc_id", value=sorted(doc_ids), operator=FilterOperator.IN)
            filters = MetadataFilters(filters=[only])
        started = time.perf_counter()
        query = VectorStoreQuery(query_embedding=list(embedding), similarity_top_k=n, filters=filters)
        result = self.store.vector_store().query(query)
        dense_ms = _ms_since(started)
        # ChromaVectorStore reports exp(-cosine distance); turn it back into cosine similarity.
        ids, similarities = result.ids or [], result.similarities or []
        cosines = {cid: 1.0 + math.log(max(sim, 1e-12)) for cid, sim in zip(ids, similarities, strict=True)}
        return cosines, embed_ms, dense_ms

    def _bm25(self, question: str, n: int, doc_ids: set[str] | None) -> tuple[dict[str, float], float]:
        """BM25 scores of the `n` best chunks, with the search time (ms)."""
        started = time.perf_counter()
        where = {"doc_id": sorted(doc_ids)} if doc_ids is not None else None
        hits = self.store.bm25().search(question, k=n, where=where)
        return dict(hits), _ms_since(started)

    def query_vector(self, question: str) -> np.ndarray:
        """The question's (normalised) query embedding, as retrieval used it (cached)."""
        return np.asarray(self._embed_query(question), dtype=np.float32)

    def _embed_uncached(self, question: str) -> tuple[float, ...]:
        return tuple(self.embedder.get_query_embedding(question))


def _check_k(k: int) -> None:
    if k < 1:
        raise ConfigError(f"k must be at least 1 (got {k})")


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def resolve_filters(store: Store, filters: Mapping[str, object] | None) -> set[str] | None:
    """The ids of the documents that pass `filters` (None when there are no filters).

    Filters are document-level, so they are resolved once against the catalog and handed to both
    retrievers as a document-id set; a region filter matches any of a document's regions.
    """
    if not filters:
        return None
    wanted = {}
    for key, value in filters.items():
        field = FILTER_ALIASES.get(key.lower())
        if field is None:
            raise ConfigError(f"unknown filter {key!r}; use one of: document, region, year, type, organisation")
        wanted[field] = value
    return {doc.doc_id for doc in store.documents() if _matches(DocumentMeta.from_flat(doc.meta), wanted)}


def _matches(meta: DocumentMeta, wanted: Mapping[str, object]) -> bool:
    for field, value in wanted.items():
        values = value if isinstance(value, (list, tuple, set)) else [value]
        options = {str(v).strip().casefold() for v in values}
        if field == "region":
            have = {r.casefold() for r in regions_of(meta)}
        else:
            have = {str(getattr(meta, field) or "").casefold()}
        if not have & options:
            return False
    return True


def _by_top(scores: Mapping[str, float]) -> dict[str, float]:
    """BM25 scores divided by the best one: 0 means no evidence, so it stays 0."""
    top = max(scores.values(), default=0.0)
    if top <= 0:
        return {cid: 0.0 for cid in scores}
    return {cid: max(s, 0.0) / top for cid, s in scores.items()}


def _min_max(scores: Mapping[str, float]) -> dict[str, float]:
    """Cosine similarities rescaled over the candidates: e5's cosines crowd into a narrow band (~0.75–0.9)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high - low < 1e-9:
        return {cid: 1.0 for cid in scores}
    return {cid: (s - low) / (high - low) for cid, s in scores.items()}
