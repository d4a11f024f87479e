"""The onboarding tabs' tables, as plain HTML: every row shown (the page scrolls, not a small box), a search
that narrows the rows, and each document one click from its whole text ("Visa dokumentet")."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from assistant.chat.glossary import GlossaryEntry
from assistant.chat.text import one_line
from ingest.indexing.store import DocumentRecord
from ingest.reading.metadata import regions_of
from ingest.types import DocumentMeta

DOCUMENT_HEADERS = ["Titel", "Organisation", "Region", "År", "Typ", "Avsnitt"]
GLOSSARY_HEADERS = ["Förkortning", "Betydelse", "Källa", "Sida", "Mening i källan"]


def document_rows(documents: Iterable[DocumentRecord]) -> list[list]:
    """One row per stored document: title, organisation, region, year, type and chunk count; then its id."""
    rows = []
    for doc in documents:
        meta = DocumentMeta.from_flat(doc.meta)
        rows.append(
            [
                one_line(meta.title or doc.doc_id),
                one_line(meta.organisation),
                ", ".join(regions_of(meta)),
                meta.year or "",
                one_line(meta.doc_type),
                len(doc.chunk_ids),
                doc.doc_id,
            ]
        )
    return sorted(rows, key=lambda r: str(r[0]).casefold())


def glossary_rows(entries: Iterable[GlossaryEntry]) -> list[list]:
    """One row per acronym; an expansion inferred from use rather than stated is marked as such."""
    rows = []
    for e in entries:
        expansion = e.display_expansion + (" (härledd ur sammanhanget)" if e.inferred else "")
        page = f"{'~' if e.page_estimated else ''}{e.page}" if e.page is not None else ""
        rows.append([e.acronym, expansion, one_line(e.title), page, e.sentence])
    return rows


def matching(rows: Sequence[list], query: str, columns: int) -> list[list]:
    """The rows whose first `columns` cells contain every word of `query` (case-insensitive)."""
    words = (query or "").casefold().split()
    return [r for r in rows if all(w in " ".join(str(c) for c in r[:columns]).casefold() for w in words)]


def documents_table(rows: Sequence[list], query: str = "") -> str:
    """The Dokument tab's table; each title opens the document."""
    shown = matching(rows, query, len(DOCUMENT_HEADERS))
    body = "".join(
        "<tr><td>" + f'<button type="button" class="rk-doc-open" data-doc="{html.escape(r[-1])}" '
        f'title="Visa dokumentet: {html.escape(str(r[0]))}">{html.escape(str(r[0]))}</button></td>'
        + "".join(f"<td>{html.escape(str(c))}</td>" for c in r[1 : len(DOCUMENT_HEADERS)])
        + "</tr>"
        for r in shown
    )
    return _table("rk-documents-table", "Dokumenten i sökindexet", DOCUMENT_HEADERS, body, len(shown), len(rows))


def glossary_table(rows: Sequence[list], query: str = "") -> str:
    """The Förkortningar tab's table: all acronyms, or those matching the search."""
    shown = matching(rows, query, len(GLOSSARY_HEADERS))
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in shown)
    return _table("rk-glossary-table", "Förkortningar i dokumenten", GLOSSARY_HEADERS, body, len(shown), len(rows))


def _table(css: str, caption: str, headers: Sequence[str], body: str, shown: int, total: int) -> str:
    count = f"{total} st." if shown == total else f"{shown} av {total} visas"
    if not shown:
        body = f'<tr><td colspan="{len(headers)}">Inget matchar sökningen.</td></tr>'
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    return (
        f'<table class="rk-table {css}"><caption>{html.escape(caption)} ({count})</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
