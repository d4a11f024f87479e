"""The units that flow through ingest and are stored: documents and chunks."""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llama_index.core.schema import TextNode

# Metadata keys a user can filter on (values are stored flat in Chroma and the BM25 index).
FILTER_KEYS = ("doc_id", "region", "year", "doc_type", "organisation")


@dataclass(frozen=True)
class Page:
    """One page of a loaded file; `number` is None when the format has no pages."""

    number: int | None
    text: str


@dataclass
class DocumentMeta:
    """What we know about a document: from corpus/manifest.toml, or inferred (listed in `inferred`)."""

    doc_id: str
    title: str
    doc_type: str = "dokument"
    organisation: str = ""
    region: str = ""
    date: str = ""
    year: int | None = None
    source: str = ""
    path: str = ""
    inferred: tuple[str, ...] = ()

    def flat(self) -> dict[str, str | int]:
        """Scalar-only metadata for Chroma (no None values, `inferred` joined)."""
        out: dict[str, str | int] = {}
        for key, value in asdict(self).items():
            if key == "inferred":
                value = ",".join(value)
            if value is None:
                continue
            out[key] = value
        return out

    @classmethod
    def from_flat(cls, data: dict) -> DocumentMeta:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        inferred = known.get("inferred") or ()
        if isinstance(inferred, str):
            inferred = tuple(x for x in inferred.split(",") if x)
        known["inferred"] = tuple(inferred)
        return cls(**known)


@dataclass
class Document:
    """A cleaned, repaired document: its text and where each page starts in it."""

    meta: DocumentMeta
    text: str
    content_hash: str
    # (char offset, page number) sorted by offset; empty when the source has no pages.
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    # Offset from which page numbers are estimated (from the table of contents), or None.
    pages_estimated_from: int | None = None

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def page_at(self, offset: int) -> int | None:
        """The page number holding character `offset`, or None if the document has no pages."""
        if not self.page_starts:
            return None
        i = bisect.bisect_right([s for s, _ in self.page_starts], offset) - 1
        return self.page_starts[max(i, 0)][1]

    def page_is_estimated(self, offset: int) -> bool:
        """True if the page at `offset` was estimated rather than read from a page marker."""
        return self.pages_estimated_from is not None and offset >= self.pages_estimated_from


@dataclass
class Chunk:
    """The stored unit: a passage of a document with its heading path, page and offsets."""

    id: str
    doc_id: str
    text: str
    heading_path: tuple[str, ...]
    start: int
    end: int
    page: int | None
    page_end: int | None
    language: str
    meta: DocumentMeta
    page_estimated: bool = False
    unit_vectors: str = ""  # its sentences' vectors, packed (`ingest.indexing.unit_vectors`)

    HEADING_SEP = " > "

    @staticmethod
    def make_id(doc_id: str, text: str) -> str:
        """Stable id: hash of document id + whitespace-normalised, case-folded text."""
        norm = " ".join(text.split()).casefold()
        return hashlib.sha256(f"{doc_id}\n{norm}".encode()).hexdigest()[:32]

    @property
    def section(self) -> str:
        return self.HEADING_SEP.join(self.heading_path)

    @property
    def embed_text(self) -> str:
        """What the embedder and BM25 see: title and heading path as a prefix, then the text."""
        prefix = self.HEADING_SEP.join((self.meta.title, *self.heading_path))
        return f"{prefix}\n{self.text}" if prefix else self.text

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as stored in Chroma."""
        out = self.meta.flat()
        out.update(
            doc_id=self.doc_id,
            section=self.section,
            heading_path=json.dumps(list(self.heading_path), ensure_ascii=False),
            start=self.start,
            end=self.end,
            language=self.language,
        )
        if self.page is not None:
            out["page"] = self.page
        if self.page_end is not None:
            out["page_end"] = self.page_end
        if self.page_estimated:
            out["page_estimated"] = True
        if self.unit_vectors:
            out["unit_vectors"] = self.unit_vectors
        return out

    def to_node(self, embedding: Sequence[float] | None = None) -> TextNode:
        """The chunk as a llama-index TextNode: its text, flat metadata and source document."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        vector = list(embedding) if embedding is not None else None
        node = TextNode(id_=self.id, text=self.text, embedding=vector, metadata=self.metadata())
        node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=self.doc_id)
        return node

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, metadata: dict) -> Chunk:
        """Rebuild a Chunk from what Chroma returns."""
        return cls(
            id=chunk_id,
            doc_id=str(metadata["doc_id"]),
            text=text,
            heading_path=tuple(json.loads(metadata.get("heading_path") or "[]")),
            start=int(metadata.get("start", 0)),
            end=int(metadata.get("end", 0)),
            page=metadata.get("page"),
            page_end=metadata.get("page_end"),
            language=str(metadata.get("language", "")),
            meta=DocumentMeta.from_flat(metadata),
            page_estimated=bool(metadata.get("page_estimated", False)),
            unit_vectors=str(metadata.get("unit_vectors") or ""),
        )


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes: the content hash that drives incremental ingest."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
