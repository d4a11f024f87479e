"""How answers and their sources are shown: plain text for scripts, HTML for chat bubbles and the sources panel.

An answer's text follows the answer step's contract (`assistant.answer`): lines of prose, "- item [n]" lines
for lists and contact details, " | "-separated table rows, and [n] markers that refer to citations[n-1].
In the chat every [n] becomes a link ("Källa 1: <title>, s. 5") that the page's script turns into "open
source n and scroll to its sentence". Everything that comes from a document is escaped, in `text.py`.

Turn numbers in links and panels are 0-based indexes into the conversation's turns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from assistant.answer import Answer, Citation
from assistant.chat.text import blocks_html, one_line
from ingest.types import Chunk

SOURCES_HEADING = "Källor"
CLOSEST_HEADING = "Närmaste avsnitt (svarar inte på frågan)"
NO_SOURCES = "Ställ en fråga — källorna till svaret visas här, med den citerade meningen markerad."
FILTER_NAMES = {"document": "Dokument", "region": "Region", "year": "År"}
_MARKER = re.compile(r"\[(\d{1,3})\]")
_ROW_SEP = re.compile(r"\s+\|\s+")


def page_label(chunk: Chunk) -> str:
    """'s. 5', or 's. ~5' when the page was estimated; '' for formats without pages."""
    if chunk.page is None:
        return ""
    return f"s. {'~' if chunk.page_estimated else ''}{chunk.page}"


def where(chunk: Chunk) -> str:
    """Heading path and page, e.g. 'Projektets mål > Budget · s. 5'."""
    return " · ".join(x for x in (one_line(chunk.section, 300), page_label(chunk)) if x)


def citation_name(c: Citation) -> str:
    """The accessible name of a citation: 'Källa 1: <title>, s. 5'."""
    chunk = c.passage.chunk
    return f"Källa {c.n}: " + ", ".join(x for x in (one_line(chunk.meta.title, 120), page_label(chunk)) if x)


def shows_sources(answer: Answer) -> bool:
    """An off-topic decline shows no passages: nothing in the store is close to the question."""
    return bool(answer.citations) and answer.decline_reason != "off_topic"


# --- plain text (the `ask` API) ----------------------------------------------------------------------------


def answer_as_text(answer: Answer) -> str:
    """The answer, then its numbered sources with title, section, page and quote."""
    lines = [answer.text]
    if shows_sources(answer):
        lines += ["", f"{SOURCES_HEADING}:" if answer.answered else f"{CLOSEST_HEADING}:"]
        for c in answer.citations:
            chunk = c.passage.chunk
            lines.append(f"[{c.n}] {one_line(chunk.meta.title)}" + (f" — {where(chunk)}" if where(chunk) else ""))
            lines.append(f'    "{c.quote}"')
    return "\n".join(lines)


# --- HTML (chat bubbles) -----------------------------------------------------------------------------------


def question_html(question: str) -> str:
    """A user bubble: the question as text, never markup."""
    return f'<div class="rk-q"><p>{html.escape(question)}</p></div>'


def answer_html(answer: Answer, turn: int, filters: Mapping[str, list] | None = None) -> str:
    """An answer bubble: its lines as paragraphs, lists and tables with clickable [n], a note when a filter
    may be why nothing was found, and (for narrow screens) its sources folded underneath.

    One HTML block without blank lines, so the chat's Markdown renderer passes it through untouched."""
    body = _lines_html(answer, turn)
    if not answer.answered and filters:
        body += f'<p class="rk-filter-note">{html.escape(filter_note(filters))}</p>'
    if shows_sources(answer):
        label = "Källor" if answer.answered else "Närmaste avsnitt, svarar inte på frågan"
        brief = " · ".join(f"[{c.n}] {one_line(c.passage.chunk.meta.title, 80)}" for c in answer.citations)
        body += (
            f'<details class="rk-inline"><summary>{html.escape(label)}: {html.escape(brief)}</summary>'
            f"{source_cards(answer, turn)}</details>"
        )
    return f'<div class="rk-answer">{body}</div>'


def filter_note(filters: Mapping[str, list]) -> str:
    """Why a filtered question may have found nothing, and what to do about it."""
    chosen = "; ".join(
        f"{FILTER_NAMES.get(k, k)}: {', '.join(one_line(str(v), 80) for v in values)}" for k, values in filters.items()
    )
    return (
        f"Sökningen var begränsad av filtret ({chosen}) — svaret kan finnas i andra dokument. "
        "Välj ”Fråga utan filter” för att söka i alla dokument."
    )


def _lines_html(answer: Answer, turn: int) -> str:
    """The answer's lines: "- " lines as a bullet list, " | " lines as a table, the rest as paragraphs."""
    parts, open_tag = [], ""
    for line in (x.strip() for x in answer.text.splitlines()):
        if not line:
            continue
        tag = "ul" if line.startswith("- ") else "table" if _ROW_SEP.search(line) else ""
        if tag != open_tag:
            parts.append((f"</{open_tag}>" if open_tag else "") + (f'<{tag} class="rk-{tag}">' if tag else ""))
            open_tag = tag
        if tag == "ul":
            parts.append(f"<li>{_with_links(line[2:], answer, turn)}</li>")
        elif tag == "table":
            parts.append(
                "<tr>"
                + "".join(f"<td>{_with_links(cell, answer, turn)}</td>" for cell in _ROW_SEP.split(line))
                + "</tr>"
            )
        else:
            parts.append(f"<p>{_with_links(line, answer, turn)}</p>")
    return "".join(parts) + (f"</{open_tag}>" if open_tag else "")


def _with_links(text: str, answer: Answer, turn: int) -> str:
    """Escaped text whose [n] markers are links to their sources."""
    by_n = {c.n: c for c in answer.citations} if shows_sources(answer) else {}
    out, at = [], 0
    for m in _MARKER.finditer(text):
        citation = by_n.get(int(m.group(1)))
        if citation is None:
            continue
        out.append(html.escape(text[at : m.start()]))
        out.append(
            f'<a href="#rk-kalla-{turn}-{citation.n}" class="rk-cite" '
            f'title="{html.escape(citation_name(citation))}">[{citation.n}]</a>'
        )
        at = m.end()
    return "".join(out) + html.escape(text[at:])


# --- HTML (sources) ----------------------------------------------------------------------------------------


def source_cards(answer: Answer, turn: int, open_n: int | None = None) -> str:
    """One folding card per cited passage, with the cited sentence marked; card `open_n` unfolded."""
    closest = not answer.answered
    return "".join(_card(c, turn, closest=closest, open_=c.n == open_n) for c in answer.citations)


def _card(c: Citation, turn: int, *, closest: bool, open_: bool) -> str:
    chunk = c.passage.chunk
    tag = '<span class="rk-closest">närmaste avsnitt</span> ' if closest else ""
    meta = html.escape(where(chunk))
    title = html.escape(one_line(chunk.meta.title))
    document_link = (
        f'<a href="#rk-dok-{turn}-{c.n}" class="rk-doc" title="Visa dokumentet: {title}">Visa dokumentet</a>'
    )
    return (
        f'<details class="rk-source rk-n{c.n}"{" open" if open_ else ""}>'
        f'<summary><span class="rk-num">[{c.n}]</span> {tag}<b>{title}</b>'
        f"{f'<br><small>{meta}</small>' if meta else ''}</summary>"
        f'<div class="rk-passage">{blocks_html(chunk.text, (c.quote_start, c.quote_end))}</div>'
        f'<p class="rk-doc-row">{document_link}</p></details>'
    )


def sources_html(answer: Answer | None, turn: int | None = None, open_n: int | None = None) -> str:
    """The sources panel: the cited passages of one answer (turn is 0-based), card `open_n` (default the
    first) unfolded. Its `data-turn` tells the page's script which answer it shows."""
    if answer is None or turn is None:
        return f'<div class="rk-sources" data-turn=""><p class="rk-note">{html.escape(NO_SOURCES)}</p></div>'
    which = f"svar {turn + 1}"
    question = one_line(answer.question, 160)
    if answer.decline_reason == "off_topic":
        note = f"Frågan ”{question}” verkar ligga utanför dokumenten, så inga avsnitt visas."
    elif not answer.citations:
        note = f"Inga källor till {which}."
    elif answer.answered:
        note = f"Källor till {which}: ”{question}”"
    else:
        note = f"Inget svar hittades på ”{question}”. Det här är de närmaste avsnitten — de svarar inte på frågan."
    cards = source_cards(answer, turn, open_n or 1) if shows_sources(answer) else ""
    return f'<div class="rk-sources" data-turn="{turn}"><p class="rk-note">{html.escape(note)}</p>{cards}</div>'
