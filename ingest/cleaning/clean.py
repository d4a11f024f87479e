"""Clean loaded pages: Unicode, spaces, bullets, running headers, contents pages, hyphenation, blank lines.

Each step is a small function on one page's text or on all pages; `clean_pages` runs them in order.
The steps are generic (no file is special-cased): they target what PDF extraction and web-page copying
leave behind. Paragraph breaks (one blank line) are kept — the chunker splits on them.

`join_pages` then makes one text of the pages and says on which *line* each page starts, because the
diacritic repair that runs next rewrites characters but keeps lines; `page_starts_from_lines` turns those
line numbers into the character offsets `Document.page_starts` wants, on the repaired text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace

from ingest.swedish.patterns import CONTENTS_LINE, INVISIBLE
from ingest.types import Page

BULLET = "• "

# Glyphs PDF and Word use for list bullets; private-use codepoints come from Symbol/Wingdings fonts.
_BULLET_GLYPHS = "•▪■□◦○●►▶▸➢➤✓✔·‣⁃∙"
_BULLET_LINE = re.compile(rf"^[ \t]*(?:[{_BULLET_GLYPHS}]|[\ue000-\uf8ff]|\*(?= ))[ \t]*")
_DASH_LINE = re.compile(r"^[ \t]*[-–—][ \t]+(?=\S)")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_LONG_RUNS_OF_SPACES = re.compile(r" {3,}")
_BLANK_RUNS = re.compile(r"\n{3,}")
_CUT_SENTENCE = re.compile(r"(?<=[^\s.!?:;])\n\n(?=[a-zåäöéü])")

_TOC_TITLE = re.compile(r"^(innehåll|innehållsförteckning|contents|table of contents)$", re.I)
_MAILTO_LINE = re.compile(r"^[ \t]*<?mailto:(?P<address>[^\s>]+)>?[ \t]*$", re.I)

# Site navigation that copy-pasted web pages begin with; a line made only of these phrases is dropped.
_NAV_PHRASES = re.compile(
    r"(?:öppna|stäng|visa|dölj) (?:sidans )?(?:huvud)?(?:navigering|meny)(?:en)?"
    r"|(?:hoppa|gå) (?:direkt )?till (?:sidans )?(?:huvud)?innehåll(?:et)?"
    r"|skip to (?:main )?content|(?:tillbaka )?till (?:start|topp)(?:sidan|en)|back to top|sök på webbplatsen",
    re.I,
)

# Words that end compounds written apart ("gles- och landsbygd"): the hyphen before them is kept.
_SUSPENDED_HYPHEN_NEXT = {"och", "eller", "samt", "respektive", "resp", "som", "till", "and", "or"}
# Swedish writes these prefixes with a hyphen (icke-våld, icke-diskriminering), so a line break after them
# is not hyphenation.
_HYPHENATED_PREFIXES = ("icke", "non", "anti", "ex")


def clean_pages(pages: list[Page], *, keep_double_spaces: bool = True) -> list[Page]:
    """Clean every page and remove what repeats across pages; returns new pages with the same numbers.

    Runs of three or more spaces become one. A double space is kept by default: in PDF text it marks a
    detached diacritic at a word's end (`pa  vägen` for `på vägen`), the best clue `repair.repair_text`
    has — without it the repair leaves ~7 times more words unrepaired on the återrapportering. Call
    `collapse_spaces` on the repaired text; `keep_double_spaces=False` collapses them here instead.
    """
    pages = [replace(p, text=_clean_characters(p.text, keep_double_spaces)) for p in pages]
    pages = remove_running_lines(pages)
    pages = remove_duplicate_mailto(pages)
    return [replace(p, text=_clean_lines(p.text)) for p in pages]


def _clean_characters(text: str, keep_double_spaces: bool) -> str:
    text = normalize_unicode(text)
    text = normalize_spaces(text, keep_double=keep_double_spaces)
    return normalize_bullets(text)


def _clean_lines(text: str) -> str:
    text = remove_toc_lines(text)
    text = drop_navigation_lines(text)
    text = join_hyphenated_lines(text)
    text = squeeze_blank_lines(text)
    return remove_blank_lines_inside_sentences(text)


def normalize_unicode(text: str) -> str:
    """NFC (decomposed å breaks embedding and search), without soft hyphens and zero-width characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return INVISIBLE.sub("", text)


def normalize_spaces(text: str, *, keep_double: bool = False) -> str:
    """No-break, thin and other odd spaces become spaces, runs of spaces one; lines lose edge whitespace."""
    text = _SPACES.sub(" ", text)
    text = _LONG_RUNS_OF_SPACES.sub(" ", text) if keep_double else collapse_spaces(text)
    return "\n".join(line.strip(" ") for line in text.split("\n"))


def collapse_spaces(text: str) -> str:
    """Every run of spaces becomes one space (lines are kept)."""
    return _RUNS_OF_SPACES.sub(" ", text)


def normalize_bullets(text: str) -> str:
    """List markers become `• `: bullet glyphs always, dashes only in a list (not a quote's dash)."""
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if _BULLET_LINE.match(line):
            rest = _BULLET_LINE.sub("", line, count=1)
            out.append(BULLET + rest if rest else BULLET.strip())
        elif _DASH_LINE.match(line) and _dash_is_list_marker(lines, i):
            out.append(BULLET + _DASH_LINE.sub("", line, count=1))
        else:
            out.append(line)
    return _attach_lone_bullets("\n".join(out))


def _dash_is_list_marker(lines: list[str], i: int) -> bool:
    """A dash starts a list item when a neighbouring line does too, or the line before ends with a colon.

    A dash paragraph standing alone is a quotation (`- Det är viktigt…, säger hon.`), common in Swedish news.
    """
    prev = lines[i - 1] if i > 0 else ""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if _DASH_LINE.match(prev) or _DASH_LINE.match(nxt):
        return True
    before = next((line for line in reversed(lines[:i]) if line.strip()), "")
    return before.rstrip().endswith(":")


def _attach_lone_bullets(text: str) -> str:
    """A bullet glyph alone on its line (as PDFs extract them) joins the item text on the next line."""
    return re.sub(r"^•[ \t]*\n[ \t]*(?=\S)", BULLET, text, flags=re.M)


def remove_running_lines(pages: list[Page], *, edge_lines: int = 3) -> list[Page]:
    """Drop short header/footer lines repeated near the top or bottom of at least half the pages (≥ 3 pages).

    Digits are ignored when comparing, so `Sida 3 av 45` and `3(45)` count as the same line on every page.
    """
    if len(pages) < 3:
        return pages
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_running_key(line) for line in _edge_lines(page.text, edge_lines)})
    running = {key for key, n in counts.items() if key and n >= len(pages) / 2}
    if not running:
        return pages
    return [replace(p, text=_drop_edge_lines(p.text, running, edge_lines)) for p in pages]


def _running_key(line: str) -> str:
    """Comparison key for a header/footer candidate; "" for lines too long to be one."""
    line = line.strip()
    if not line or len(line.split()) > 12:
        return ""
    return re.sub(r"\d+", "#", " ".join(line.casefold().split()))


def _edge_lines(text: str, n: int) -> list[str]:
    lines = [line for line in text.split("\n") if line.strip()]
    return lines[:n] + lines[-n:]


def _drop_edge_lines(text: str, running: set[str], n: int) -> str:
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = set(filled[:n] + filled[-n:])
    return "\n".join(line for i, line in enumerate(lines) if not (i in edges and _running_key(line) in running))


def remove_toc_lines(text: str) -> str:
    """Drop table-of-contents entries (text, dot leader, page number), their wrapped first lines and the title.

    The headings a contents page lists appear again in the body, where the chunker finds them.
    """
    lines = text.split("\n")
    drop = {i for i, line in enumerate(lines) if CONTENTS_LINE.match(line)}
    if not drop:
        return text
    for i in sorted(drop):
        # An entry too long for one line wraps: its first part sits right above, without a leader.
        j = i - 1
        if j >= 0 and j not in drop and lines[j].strip() and not lines[j].rstrip().endswith((".", ":")):
            above = lines[j - 1] if j > 0 else ""
            if not above.strip() or (j - 1) in drop:
                drop.add(j)
    first = min(drop)
    title = next((k for k in range(first - 1, -1, -1) if lines[k].strip()), None)
    if title is not None and _TOC_TITLE.match(lines[title].strip()):
        drop.add(title)
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def remove_duplicate_mailto(pages: list[Page]) -> list[Page]:
    """Drop `mailto:address` lines (link targets PDF export appends) when the address is already in the text."""
    whole = "\n".join(p.text for p in pages)
    present = {m.group(0).casefold() for m in re.finditer(r"(?<!mailto:)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+", whole)}

    def keep(line: str) -> bool:
        m = _MAILTO_LINE.match(line)
        return not (m and m["address"].casefold().rstrip(".") in present)

    return [replace(p, text="\n".join(filter(keep, p.text.split("\n")))) for p in pages]


def drop_navigation_lines(text: str) -> str:
    """Drop lines made only of site-navigation phrases ("Hoppa till sidans innehåll")."""
    lines = text.split("\n")
    return "\n".join(line for line in lines if not (line.strip() and not _NAV_PHRASES.sub("", line).strip()))


def join_hyphenated_lines(text: str) -> str:
    """Join words broken at a line end: `kompetens-` + `försörjning` → `kompetensförsörjning`.

    The hyphen stays when it is part of the word (`EU-` + `program`, `1:1-` + `medel`, `Sverige-` + `Finland`)
    or starts a suspended compound (`gles-` + `och landsbygd`); a dash after a space is never touched.
    """
    return re.sub(r"(?<=[^\W_])-\n(?=([^\W\d_][\w]*))", _hyphen_join, text)


def _hyphen_join(match: re.Match) -> str:
    before = match.string[match.start() - 1]
    next_word = match.group(1)
    if next_word.casefold() in _SUSPENDED_HYPHEN_NEXT:
        return "- "
    word_start = max(match.string.rfind(c, 0, match.start()) for c in " \n\t") + 1
    if match.string[word_start : match.start()].casefold() in _HYPHENATED_PREFIXES:
        return "-"
    if before.islower() and next_word[0].islower():
        return ""
    return "-"


def squeeze_blank_lines(text: str) -> str:
    """At most one blank line in a row, none at the start or end."""
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def remove_blank_lines_inside_sentences(text: str) -> str:
    """Drop a blank line that cuts a sentence (a PDF artifact): no sentence end before, lower case after."""

    def join(match: re.Match) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        return match.group(0) if text.startswith("#", line_start) else "\n"

    return _CUT_SENTENCE.sub(join, text)


def join_pages(pages: list[Page]) -> tuple[str, list[tuple[int, int]]]:
    """One text of all pages, and `(line index, page number)` where each numbered page starts.

    Pages are joined by a blank line: a page break ends a paragraph far more often than it cuts one.
    """
    parts: list[str] = []
    line_starts: list[tuple[int, int]] = []
    line = 0
    for page in pages:
        text = page.text.strip("\n")
        if not text.strip():
            continue
        if parts:
            parts.append("\n\n")
            line += 2
        if page.number is not None:
            line_starts.append((line, page.number))
        parts.append(text)
        line += text.count("\n")
    return "".join(parts), line_starts


def page_starts_from_lines(text: str, line_starts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Convert `(line index, page)` pairs from `join_pages` into `(char offset, page)` pairs on `text`."""
    offsets = [0]
    for m in re.finditer("\n", text):
        offsets.append(m.end())
    return [(offsets[min(line, len(offsets) - 1)], page) for line, page in line_starts]
