"""What the chat shows about the store besides answers — documents, acronyms, example questions, filter
choices, whole documents — kept in step with ingests like the answers are.

Everything is derived from the store's chunks and catalog and cached per store generation (the catalog
changes whenever an ingest commits): a tab opened after an ingest shows the new documents.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from assistant.answering.followup import subject_of
from assistant.chat.glossary import GlossaryEntry, build_glossary
from assistant.chat.tables import document_rows, glossary_rows
from assistant.chat.text import one_line
from ingest.indexing.store import Store
from ingest.reading.metadata import regions_of
from ingest.types import Chunk, DocumentMeta

# Onboarding examples: kept only when the store holds what they are about, then topped up with
# "Vad står … för?" from the glossary, so a store with other documents still gets examples that fit it.
EXAMPLES = (
    "Hur stor är budgeten för North Sweden Green Deal?",
    "Vem äger SAM?",
    "Vad står HSO för?",
    "Vad är FRO?",
)
MAX_EXAMPLES = 4


class CorpusView:
    """The store as the chat's tabs and document view see it; re-read when an ingest has changed it."""

    def __init__(self, store: Store):
        self._store = store
        self._generation = store.generation()
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        """The store, re-opened if an ingest has committed since it was last read."""
        generation = self._store.generation()
        if generation != self._generation:
            with self._lock:
                if generation != self._generation:
                    old = self._store
                    self._store = old.reopened()
                    self._generation, self._cache = generation, {}
        return self._store

    def _cached(self, key: str, build: Callable[[Store], Any]) -> Any:
        store = self.store
        if key not in self._cache:
            self._cache[key] = build(store)
        return self._cache[key]

    def document_rows(self) -> list[list]:
        return self._cached("documents", lambda s: document_rows(s.documents()))

    def glossary(self) -> list[GlossaryEntry]:
        return self._cached("glossary", lambda s: build_glossary(s.chunks().values()))

    def glossary_rows(self) -> list[list]:
        return self._cached("glossary_rows", lambda s: glossary_rows(self.glossary()))

    def examples(self) -> list[str]:
        return self._cached("examples", lambda s: example_questions(s.chunks().values(), self.glossary()))

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[str], list[int]]:
        return self._cached("filters", _filter_choices)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """The stored chunks of one document, in text order ([] for a document the store does not hold)."""
        by_doc = self._cached("by_doc", _chunks_by_document)
        return by_doc.get(doc_id, [])

    def title_of(self, doc_id: str) -> str:
        """The document's title on one line (its id if the store does not hold it)."""
        record = next((d for d in self.store.documents() if d.doc_id == doc_id), None)
        return one_line(str(record.meta.get("title") or doc_id) if record else doc_id)


def example_questions(chunks, glossary: list[GlossaryEntry]) -> list[str]:
    """Example questions that fit the store: the editorial ones whose subject it holds, then acronyms."""
    text = "\n".join(c.text for c in chunks)
    chosen = [q for q in EXAMPLES if subject_of(q) and all(part in text for part in subject_of(q).split())]
    for entry in glossary:
        question = f"Vad står {entry.acronym} för?"
        if len(chosen) < MAX_EXAMPLES and not entry.inferred and question not in chosen:
            chosen.append(question)
    return chosen[:MAX_EXAMPLES]


def _filter_choices(store: Store) -> tuple[list[tuple[str, str]], list[str], list[int]]:
    """Choices for the document, region and year filters, from the store's catalog."""
    metas = [DocumentMeta.from_flat(d.meta) for d in store.documents()]
    documents = sorted(((one_line(m.title or m.doc_id), m.doc_id) for m in metas), key=lambda c: c[0].casefold())
    regions = sorted({r for m in metas for r in regions_of(m)})
    years = sorted({m.year for m in metas if m.year})
    return documents, regions, years


def _chunks_by_document(store: Store) -> dict[str, list[Chunk]]:
    out: dict[str, list[Chunk]] = {}
    for chunk in store.chunks().values():
        out.setdefault(chunk.doc_id, []).append(chunk)
    for chunks in out.values():
        chunks.sort(key=lambda c: (c.start, c.end))
    return out
