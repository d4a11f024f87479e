"""Page numbers where the extracted text lost them: estimated from the document's table of contents.

PDF-to-text exports often keep page markers for the first pages only (or none). A report's table of
contents still says on which page each section starts, so each listed heading found in the body becomes an
anchor (offset → page), and pages between two anchors are spread evenly over the text between them.
Pages found this way are marked as estimated. Headings are matched on a "skeleton" of the text — letters
and digits only, accents stripped, case-folded — so `fo r ha llbar` in the contents still finds `för hållbar`
in the (repaired) body.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ingest.swedish.patterns import CONTENTS_LINE, PAGE_MARKER

_MIN_SKELETON = 8  # shorter titles ("Integration") are too likely to match the wrong place


@dataclass(frozen=True)
class TocEntry:
    title: str
    page: int


def declared_page_count(text: str) -> int | None:
    """The M of `N(M)` page markers ("3(45)"): how many pages the document says it has."""
    totals = [int(m["pages"]) for m in PAGE_MARKER.finditer(text)]
    return max(set(totals), key=totals.count) if totals else None


def toc_entries(text: str) -> list[TocEntry]:
    """The (title, page) entries of a table of contents in raw text; a title wrapped over two lines is joined."""
    lines = text.split("\n")
    entries = []
    for i, line in enumerate(lines):
        m = CONTENTS_LINE.match(line)
        if not m or not m["page"].isdigit():  # front matter (i, ii, …) is not in the body's page numbering
            continue
        title = (m.group("entry") or "").strip()
        above = lines[i - 1].strip() if i else ""
        if above and not CONTENTS_LINE.match(lines[i - 1]) and not above.endswith((".", ":")):
            title = f"{above} {title}".strip()
        if title:
            entries.append(TocEntry(title, int(m.group("page"))))
    return entries


def skeleton(text: str) -> tuple[str, list[int]]:
    """Letters and digits only, accents stripped, case-folded; with each skeleton char's offset in `text`."""
    chars, offsets = [], []
    for i, ch in enumerate(text):
        if not ch.isalnum():
            continue
        base = unicodedata.normalize("NFD", ch)[0].casefold()
        if base.isalnum():
            chars.append(base)
            offsets.append(i)
    return "".join(chars), offsets


def toc_anchors(text: str, entries: Sequence[TocEntry]) -> list[tuple[int, int]]:
    """(offset, page) for each contents entry found in `text`, in order, never going back."""
    skel, offsets = skeleton(text)
    anchors: list[tuple[int, int]] = []
    pos, last_page = 0, 0
    for entry in entries:
        key, _ = skeleton(entry.title)
        if len(key) < _MIN_SKELETON or entry.page < last_page:
            continue
        # Cleaning removed the contents page itself, so the first match after the last anchor is the heading.
        found = skel.find(key, pos)
        if found < 0:
            continue
        anchors.append((offsets[found], entry.page))
        pos, last_page = found + len(key), entry.page
    return _line_starts(text, anchors)


def spread_pages(
    anchors: Sequence[tuple[int, int]], text_length: int, last_page: int | None = None
) -> list[tuple[int, int]]:
    """Page starts for every page between consecutive anchors, placed proportionally to the text between them."""
    points = sorted(set(anchors))
    out: list[tuple[int, int]] = []
    for (o1, p1), (o2, p2) in pairwise(points):
        out.append((o1, p1))
        for p in range(p1 + 1, p2):
            out.append((o1 + (o2 - o1) * (p - p1) // (p2 - p1), p))
    if points:
        out.append(points[-1])
        o_end, p_end = points[-1]
        if last_page and last_page > p_end and len(points) > 1:
            # Beyond the last anchor: continue at the document's average characters per page.
            per_page = max((o_end - points[0][0]) // max(p_end - points[0][1], 1), 1)
            for p in range(p_end + 1, last_page + 1):
                offset = o_end + per_page * (p - p_end)
                if offset >= text_length:
                    break
                out.append((offset, p))
    return out


def merge_page_starts(
    explicit: Sequence[tuple[int, int]], text: str, entries: Sequence[TocEntry], last_page: int | None = None
) -> tuple[list[tuple[int, int]], int | None]:
    """Explicit page starts, completed from the contents where they stop; returns (starts, first estimated offset)."""
    explicit = sorted(explicit)
    covered_until = explicit[-1][1] if explicit else 0
    anchors = [(o, p) for o, p in toc_anchors(text, entries) if p > covered_until]
    if not anchors:
        return list(explicit), None
    start = explicit[-1:] if explicit else []
    estimated = spread_pages(start + anchors, len(text), last_page)
    estimated = [(o, p) for o, p in estimated if p > covered_until]
    first_estimated = estimated[0][0] if estimated else None
    return list(explicit) + estimated, first_estimated


def _line_starts(text: str, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Move each anchor back to the start of its line (a heading's number precedes its title)."""
    return [(text.rfind("\n", 0, o) + 1, p) for o, p in anchors]
