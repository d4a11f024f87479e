"""One file → one Document: load, clean, repair, place pages, attach metadata.

Page numbers travel by line: pages are joined by a blank line, repair keeps the number of lines, and the
line where each page starts is turned into a character offset on the final text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ingest.cleaning.pages import declared_page_count, merge_page_starts, toc_entries
from ingest.reading.discovery import SourceFile, absolute
from ingest.reading.limits import ReadLimits
from ingest.reading.metadata import document_meta
from ingest.types import Document
from regionkunskap.errors import printable

log = logging.getLogger(__name__)


def build_document(
    source: SourceFile,
    content_hash: str,
    *,
    repair: Callable[[str], str] | None = None,
    limits: ReadLimits | None = None,
) -> Document:
    """Load, clean and repair one file into a Document with page offsets and metadata, within `limits`."""
    from ingest.cleaning.clean import clean_pages, collapse_spaces, join_pages, page_starts_from_lines
    from ingest.cleaning.repair import repair_text
    from ingest.reading.loaders import guess_title, load_file

    loaded = load_file(source.path, limits=limits or ReadLimits())
    raw_text = "\n".join(p.text for p in loaded.pages)
    contents = toc_entries(raw_text)  # read before cleaning drops the contents page
    pages = clean_pages(loaded.pages)
    text, page_lines = join_pages(pages)
    # Cleaning keeps double spaces because they mark detached diacritics (`pa  en`); collapse them after repair.
    repaired = collapse_spaces((repair or repair_text)(text))
    if repaired.count("\n") != text.count("\n"):  # page mapping relies on line positions
        log.warning("%s: repair changed the line count; using unrepaired text", printable(source.path))
        repaired = collapse_spaces(text)
    meta = document_meta(source.path, source.doc_id, repaired, loaded.title or guess_title(pages), source.entry)
    meta.path = absolute(source.path)
    page_starts, estimated_from = merge_page_starts(
        page_starts_from_lines(repaired, page_lines), repaired, contents, declared_page_count(raw_text)
    )
    return Document(
        meta=meta,
        text=repaired,
        content_hash=content_hash,
        page_starts=page_starts,
        pages_estimated_from=estimated_from,
    )
