"""Text from documents, made fit for the page: names on one line, passages reflowed, everything escaped.

A PDF passage keeps the extraction's hard line breaks ("Fokus är att integrera\\nhållbarhet i …"). For
display, `blocks` joins the lines of a paragraph and keeps list items and table rows as lines of their own;
`blocks_html` renders them as <p>, <ul> and <table>, with a span of the original text (the cited sentence)
wrapped in <mark>. Every character from a document passes through `html.escape` here, once.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

# A list item: a bullet, a dash, or "1." / "a)" followed by a space.
_ITEM = re.compile(r"^\s*(?:[•▪◦‣∙·*–—-]|\d{1,2}[.)]|[a-zåäö][)])\s+")
_ROW_SEP = re.compile(r"\s+\|\s+")
_BLANK = re.compile(r"\n[ \t\f\v]*\n")
# Control, format (zero-width, bidi overrides) and separator characters that must not reach a one-line name.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def one_line(text: str, limit: int = 200) -> str:
    """A name (file name, title, heading) safe to print on one line: no control, zero-width or bidi
    characters, whitespace collapsed, cut to `limit` characters with an ellipsis."""
    cleaned = "".join(" " if unicodedata.category(ch) in _HIDDEN_CATEGORIES else ch for ch in str(text or ""))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


@dataclass
class Block:
    """A paragraph, a list item or a table row: the spans of the original text it is made of."""

    kind: str  # "p", "item" or "row"
    spans: list[tuple[int, int]] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """The passage as display blocks: a paragraph's wrapped lines joined, list items and table rows kept."""
    out: list[Block] = []
    for para_start, para_end in _paragraphs(text):
        for line_start, line_end in _lines(text, para_start, para_end):
            line = text[line_start:line_end]
            if _ROW_SEP.search(line):
                out.append(Block("row", [(line_start, line_end)]))
            elif _ITEM.match(line):
                out.append(Block("item", [(line_start, line_end)]))
            elif out and out[-1].kind != "row" and out[-1].spans[-1][1] >= para_start:
                out[-1].spans.append((line_start, line_end))  # a wrapped line continues its paragraph or item
            else:
                out.append(Block("p", [(line_start, line_end)]))
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans between blank lines."""
    spans, start = [], 0
    for m in _BLANK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-blank lines of text[start:end], trimmed."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def marked(text: str, start: int, end: int, mark: tuple[int, int] | None, first_mark_class: str = "") -> str:
    """text[start:end] escaped, with the part inside `mark` wrapped in <mark>."""
    if not mark or mark[1] <= start or mark[0] >= end:
        return html.escape(text[start:end])
    a, b = max(start, mark[0]), min(end, mark[1])
    css = f' class="{first_mark_class}"' if first_mark_class and a == mark[0] else ""
    return html.escape(text[start:a]) + f"<mark{css}>" + html.escape(text[a:b]) + "</mark>" + html.escape(text[b:end])


def blocks_html(text: str, mark: tuple[int, int] | None = None, *, offset: int = 0) -> str:
    """The passage as HTML: paragraphs, bullet lists and tables, with `mark` (a span of `text`, shifted by
    `offset`) highlighted; the first <mark> gets the class rk-hit, so a script can scroll to it."""
    if mark is not None:
        mark = (mark[0] - offset, mark[1] - offset)
        if not (0 <= mark[0] < mark[1] <= len(text)):
            mark = None
    parts: list[str] = []
    open_tag = ""
    for block in blocks(text):
        tag = {"p": "", "item": "ul", "row": "table"}[block.kind]
        if tag != open_tag:
            parts.append(f"</{open_tag}>" if open_tag else "")
            parts.append(f'<{tag} class="rk-{tag}">' if tag else "")
            open_tag = tag
        pieces = [marked(text, s, e, mark, "rk-hit") for s, e in block.spans]
        if block.kind == "row":
            cells = _cells(text, *block.spans[0])
            parts.append("<tr>" + "".join(f"<td>{marked(text, s, e, mark, 'rk-hit')}</td>" for s, e in cells) + "</tr>")
        elif block.kind == "item":
            # "1." or "a)": the item keeps its own number instead of a bullet
            css = ' class="rk-numbered"' if text[block.spans[0][0]].isalnum() else ""
            parts.append(f"<li{css}>{_without_bullet(' '.join(pieces))}</li>")
        else:
            parts.append(f"<p>{' '.join(pieces)}</p>")
    if open_tag:
        parts.append(f"</{open_tag}>")
    return "".join(parts)


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a table row's cells (separated by " | ")."""
    cells, at = [], start
    for m in _ROW_SEP.finditer(text, start, end):
        cells.append((at, m.start()))
        at = m.end()
    return cells + [(at, end)]


def _without_bullet(item_html: str) -> str:
    """A list item without its bullet character (the <li> draws one); numbers ("1.") are kept."""
    return re.sub(r"^(<mark[^>]*>)?\s*[•▪◦‣∙·*–—-]\s+", r"\1", item_html, count=1)
