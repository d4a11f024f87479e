"""The whole document ("Visa dokumentet"), rebuilt from the store's chunks — never read from a file.

Every chunk is an exact slice `doc.text[start:end]` of the cleaned document, consecutive chunks overlap,
and headings live in the chunks' heading paths rather than in their text. So the document is the union of
its chunks' spans, with a heading wherever the heading path changes and a page mark wherever a chunk
starts on a new page. The cited sentence is marked and the view opens on it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.chat.text import blocks_html, one_line
from ingest.types import Chunk

# A document larger than this is shown around the cited place only (the browser stays responsive).
MAX_CHARS = 400_000


@dataclass
class _Run:
    """A stretch of the document's text: the exact slice [start, end) and its text."""

    start: int
    end: int
    text: str


def document_html(title: str, chunks: Sequence[Chunk], focus: tuple[int, int] | None = None, *, nonce: int = 0) -> str:
    """The document as a modal dialog's HTML: title, headings, page marks and paragraphs, with `focus`
    (a span of the document's text) marked. `nonce` makes every opening a new value for the page."""
    title = one_line(title, 300)
    head = (
        f'<div class="rk-doc-head"><h2 id="rk-doc-title">{html.escape(title)}</h2>'
        '<button type="button" class="rk-doc-close">Stäng</button></div>'
    )
    if not chunks:
        body = '<p class="rk-note">Dokumentet finns inte längre i sökindexet (det kan ha tagits bort).</p>'
    else:
        body = _body(chunks, focus)
    return (
        f'<dialog class="rk-dialog" aria-labelledby="rk-doc-title" data-nonce="{nonce}">{head}'
        f'<div class="rk-doc-body">{body}</div></dialog>'
    )


def _body(chunks: Sequence[Chunk], focus: tuple[int, int] | None) -> str:
    chunks = sorted(chunks, key=lambda c: (c.start, c.end))
    window = _window(chunks, focus)
    parts: list[str] = []
    if window[0] > chunks[0].start:
        parts.append('<p class="rk-note">… (början av dokumentet visas inte: det är för långt)</p>')
    path: tuple[str, ...] = ()
    page: int | None = None
    run: _Run | None = None
    covered = -1  # the end of the text shown so far: consecutive chunks overlap
    for chunk in chunks:
        if chunk.end <= window[0] or chunk.start >= window[1]:
            continue
        new_path = chunk.heading_path != path
        new_page = chunk.page is not None and chunk.page != page
        if run and (new_path or new_page or chunk.start > covered):
            parts.append(blocks_html(run.text, focus, offset=run.start))
            run = None
        if new_path:
            parts += _headings(path, chunk.heading_path)
            path = chunk.heading_path
        if new_page:
            parts.append(f'<p class="rk-page">— s. {"~" if chunk.page_estimated else ""}{chunk.page} —</p>')
            page = chunk.page
        start = max(chunk.start, covered)
        if start >= chunk.end:
            continue
        covered = chunk.end
        piece = chunk.text[start - chunk.start :]
        run = _Run(start, chunk.end, piece) if run is None else _Run(run.start, chunk.end, run.text + piece)
    if run:
        parts.append(blocks_html(run.text, focus, offset=run.start))
    if window[1] < chunks[-1].end:
        parts.append('<p class="rk-note">… (slutet av dokumentet visas inte: det är för långt)</p>')
    return "".join(parts)


def _headings(old: tuple[str, ...], new: tuple[str, ...]) -> list[str]:
    """The headings that `new` opens beyond what it shares with `old` (h3 for the top level, then h4, h5)."""
    shared = 0
    while shared < min(len(old), len(new)) and old[shared] == new[shared]:
        shared += 1
    return [
        f'<h{min(3 + level, 5)} class="rk-doc-h">{html.escape(one_line(text, 300))}</h{min(3 + level, 5)}>'
        for level, text in enumerate(new)
        if level >= shared
    ]


def _window(chunks: Sequence[Chunk], focus: tuple[int, int] | None) -> tuple[int, int]:
    """The span of the document shown: all of it, or MAX_CHARS around the focus (or from the start)."""
    first, last = chunks[0].start, chunks[-1].end
    if last - first <= MAX_CHARS:
        return first, last
    centre = focus[0] if focus else first
    start = max(first, centre - MAX_CHARS // 2)
    return start, min(last, start + MAX_CHARS)
