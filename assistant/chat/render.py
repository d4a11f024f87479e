"""How answers, sources and the corpus are shown: plain text for scripts, Markdown for chat bubbles, HTML for
the sources panel, rows for the onboarding tables.

Everything that comes from a document is escaped here, once: a passage is data, never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from assistant.answer import Answer, Citation
from assistant.chat.glossary import GlossaryEntry
from ingest.indexing.store import DocumentRecord
from ingest.reading.metadata import regions_of
from ingest.types import Chunk, DocumentMeta

SOURCES_HEADING = "Källor"
CLOSEST_HEADING = "Närmaste avsnitt (svarar inte på frågan)"
NO_SOURCES = "Ställ en fråga — källorna till svaret visas här, med den citerade meningen markerad."
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def page_label(chunk: Chunk) -> str:
    """'s. 5', or 's. ~5' when the page was estimated; '' for formats without pages."""
    if chunk.page is None:
        return ""
    return f"s. {'~' if chunk.page_estimated else ''}{chunk.page}"


def where(chunk: Chunk) -> str:
    """Heading path and page, e.g. 'Projektets mål > Budget · s. 5'."""
    return " · ".join(x for x in (chunk.section, page_label(chunk)) if x)


# --- plain text (the `ask` API) ----------------------------------------------------------------------------

def answer_as_text(answer: Answer) -> str:
    """The answer, then its numbered sources with title, section, page and quote."""
    lines = [answer.text]
    if answer.citations:
        lines += ["", f"{SOURCES_HEADING}:" if answer.answered else f"{CLOSEST_HEADING}:"]
    for c in answer.citations:
        chunk = c.passage.chunk
        lines.append(f"[{c.n}] {chunk.meta.title}" + (f" — {where(chunk)}" if where(chunk) else ""))
        lines.append(f'    "{c.quote}"')
    return "\n".join(lines)


# --- Markdown (chat bubbles) -------------------------------------------------------------------------------

def md_escape(text: str) -> str:
    """Text shown literally by a Markdown renderer (no links, emphasis or HTML from documents)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def answer_markdown(answer: Answer, shown_text: str | None = None) -> str:
    """A chat bubble: the answer (or the part of it streamed so far) and, once complete, its sources in brief."""
    text = answer.text if shown_text is None else shown_text
    body = md_escape(text)
    if shown_text is not None and shown_text != answer.text or not answer.citations:
        return body
    label = "Källor" if answer.answered else "Närmaste avsnitt, svarar inte på frågan"
    sources = " · ".join(
        md_escape(", ".join(x for x in (f"[{c.n}] {c.passage.chunk.meta.title}", page_label(c.passage.chunk)) if x))
        for c in answer.citations
    )
    return f"{body}\n\n*{label}:* {sources}"


# --- HTML (the sources panel) ------------------------------------------------------------------------------

def sources_html(answer: Answer | None, turn: int | None = None) -> str:
    """The cited passages of one answer, each with its cited sentence marked; the first one unfolded."""
    if answer is None:
        return f'<div class="rk-sources"><p class="rk-note">{html.escape(NO_SOURCES)}</p></div>'
    which = f"svar {turn}" if turn is not None else "svaret"
    if not answer.citations:
        note = f"Inga källor till {which}."
    elif answer.answered:
        note = f"Källor till {which}: ”{answer.question}”"
    else:
        note = (f"Inget svar hittades på ”{answer.question}”. "
                "Det här är de närmaste avsnitten — de svarar inte på frågan.")
    cards = "".join(_source_card(c, closest=not answer.answered, open_=i == 0) for i, c in enumerate(answer.citations))
    return f'<div class="rk-sources"><p class="rk-note">{html.escape(note)}</p>{cards}</div>'


def _source_card(c: Citation, *, closest: bool, open_: bool) -> str:
    chunk = c.passage.chunk
    tag = '<span class="rk-closest">närmaste avsnitt</span> ' if closest else ""
    meta = " · ".join(html.escape(x) for x in (chunk.section, page_label(chunk)) if x)
    return (
        f'<details class="rk-source{" rk-source-closest" if closest else ""}" data-n="{c.n}"{" open" if open_ else ""}>'
        f'<summary><span class="rk-n">[{c.n}]</span> {tag}<b>{html.escape(chunk.meta.title)}</b>'
        f'{f"<br><small>{meta}</small>" if meta else ""}</summary>'
        f'<div class="rk-passage">{highlighted(chunk.text, c.quote_start, c.quote_end)}</div></details>'
    )


def highlighted(text: str, start: int, end: int) -> str:
    """The passage, escaped, with `<mark>` around characters start:end (nothing marked if the span is empty)."""
    if not 0 <= start < end <= len(text):
        return html.escape(text)
    return f"{html.escape(text[:start])}<mark>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}"


# --- onboarding tables -------------------------------------------------------------------------------------

DOCUMENT_HEADERS = ["Titel", "Organisation", "Region", "År", "Typ", "Avsnitt"]
GLOSSARY_HEADERS = ["Förkortning", "Betydelse", "Källa", "Sida", "Mening i källan"]


def document_rows(documents: Iterable[DocumentRecord]) -> list[list]:
    """One row per stored document: title, organisation, region, year, type and chunk count."""
    rows = []
    for doc in documents:
        meta = DocumentMeta.from_flat(doc.meta)
        rows.append([meta.title, meta.organisation, ", ".join(regions_of(meta)), meta.year or "", meta.doc_type,
                     len(doc.chunk_ids)])
    return sorted(rows, key=lambda r: str(r[0]).casefold())


def glossary_rows(entries: Iterable[GlossaryEntry]) -> list[list]:
    """One row per acronym; an expansion inferred from use rather than stated is marked as such."""
    rows = []
    for e in entries:
        expansion = e.display_expansion + (" (härledd ur sammanhanget)" if e.inferred else "")
        page = f"{'~' if e.page_estimated else ''}{e.page}" if e.page is not None else ""
        rows.append([e.acronym, expansion, e.title, page, e.sentence])
    return rows
