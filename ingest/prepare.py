"""One file's work before embedding — read, clean, repair, chunk — as it runs in the reader process.

    doc, chunks = read_sandboxed(prepare, source.path, source, content_hash, limits=limits, chunk_words=160,
                                 overlap_words=30)

Ingest hands this to the reader process (`reading.sandbox`), a file or two ahead of the one being embedded
(`reading.ahead`), so a file's reading and chunking overlap the previous file's embedding, and a pathological
file is bounded in time and memory for its chunking too. `warm_up` loads, in the reader, what a first file
would otherwise wait for (word lists, repair tables, language profiles: about two seconds) while the ingest
process opens the store.
"""

from __future__ import annotations

from ingest.chunking.chunks import chunk_document
from ingest.cleaning.documents import build_document
from ingest.cleaning.likelihood import accent_contexts
from ingest.cleaning.repair import repair_text
from ingest.reading.discovery import SourceFile
from ingest.reading.limits import ReadLimits
from ingest.swedish.language import load_profiles
from ingest.types import Chunk, Document
from regionkunskap.errors import LoadError

# A line with detached diacritics ("för hållbar", "på en"): repairing it builds the repair's tables.
_DAMAGED = "Arbetet fo r ha llbar utveckling pa  en regional niva  i la net."


def prepare(
    source: SourceFile, content_hash: str, *, limits: ReadLimits, chunk_words: int, overlap_words: int
) -> tuple[Document, list[Chunk]]:
    """The file's Document and its chunks; LoadError if it cannot be read or no text is left."""
    doc = build_document(source, content_hash, limits=limits)
    chunks = chunk_document(doc, max_words=chunk_words, overlap_words=overlap_words)
    if not chunks:
        raise LoadError(doc.meta.path, "no text left after cleaning", "check that the file has readable text")
    for chunk in chunks:
        chunk.page_estimated = doc.page_is_estimated(chunk.start)
    return doc, chunks


def warm_up(*, limits: ReadLimits) -> None:
    """Load what reading and chunking a first file needs (the same work a file would do, done early)."""
    accent_contexts()
    repair_text(_DAMAGED)
    load_profiles()
