"""Swedish sentences: where chunking may cut a paragraph, and the units the assistant reads a passage in.

`sentence_spans` finds sentence ends. A sentence ends at . ! ? … (and closing quotes or brackets) before
whitespace and a capital, digit, quote or bullet. Abbreviations (`bl.a.`, `t.ex.`, `ca.`) and initials
(`A. Svensson`) end none; `112,5`, `1:1` and dates hold no sentence end to begin with.

`split_sentences` reads a passage for answers. Its text is cut into blocks at blank lines; a block is a
paragraph (cut into sentences where `sentence_spans` ends one, as chunking does), a list (one unit per item,
items cut into sentences), or a one-line heading. Lines broken inside a sentence, as in PDF-extracted text,
are joined. Every `Sentence` keeps its span in the passage text, so a quote can be highlighted, and the text
around it that says what it is about: the headings above it in the passage, the list's lead-in ("Parter i
projektet:"), and the sentences before it in its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    "bl.a t.ex ca nr m.m mm osv dvs d.v.s s.k resp o.s.v fr.o.m t.o.m jfr kap st kl tel ex inkl exkl "
    "f.d p.g.a pga enl mnkr mdkr tkr kr milj ang avd prof dr m.fl mfl o.d e.d etc forts sid s vs mån "
    "tis ons tors fre lör sön jan feb mar apr jun jul aug sep sept okt nov dec e.g i.e no fig tab "
    "skr prop bet rskr dnr sfs kom".split()
)
_SENTENCE_BREAK = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“”'(\[]?[A-ZÅÄÖÉÜ0-9•])")
_WHITESPACE = re.compile(r"\s*")
_DOTTED_ABBREVIATION = re.compile(r"^(?:[a-zåäö]{1,3}\.)+[a-zåäö]{1,3}$")
# A block: a run of lines up to a blank line (a paragraph, a list, a heading).
BLOCK = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each Swedish sentence in `text`, trailing whitespace left out."""
    spans, start = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        if _is_abbreviation(text, m.start()):
            continue
        spans.append((start, m.end()))
        gap = _WHITESPACE.match(text, m.end())
        start = gap.end() if gap else m.end()
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the period at `dot` closes an abbreviation (`bl.a.`, `t.ex.`, `ca.`) or an initial (`A.`)."""
    if text[dot] != ".":
        return False
    before = re.search(r"[\w.]*$", text[max(0, dot - 24) : dot])
    word = before.group(0) if before else ""
    lowered = word.casefold()
    return lowered in _ABBREVIATIONS or bool(_DOTTED_ABBREVIATION.match(lowered)) or (len(word) == 1 and word.isupper())


# --- a passage read for answers -----------------------------------------------------------------------------

_ITEM_MARK = re.compile(r"[ \t]*(?:[•·▪◦*]|[-–—](?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))[ \t]*")
# How a line of a wrapped item ends: in a comma, a hyphen or an opening bracket.
_WRAPPED = re.compile(r"[,\-–(]$")
# Words a wrapped line may end in, and an item never does.
_JOINS = frozenset(
    "och eller samt men att som för med från till i på av om vid under över inom mellan efter genom utan mot hos "
    "en ett den det de and or of to in on for with from by the a an".split()
)
# Text without sentence punctuation (table cells) is cut at line ends into pieces of about this size.
MAX_UNIT_CHARS = 320
TABLE_LINE_CHARS = 40
HEADING_MAX_WORDS = 12


@dataclass(frozen=True)
class Sentence:
    """One answer candidate: a sentence, list item or table line of a passage."""

    start: int  # span in the passage text
    end: int
    text: str  # the span with whitespace collapsed: what is quoted
    block: int  # which block of the passage it is in
    kind: str  # "sentence", "item", "heading" or "line"
    # What it is about, nearest first: earlier sentences of its paragraph or item (latest first), the
    # list's lead-in, the heading above it in the passage.
    near: tuple[str, ...] = ()

    @property
    def context(self) -> str:
        return " ".join(reversed(self.near))


def split_sentences(text: str) -> list[Sentence]:
    """The answer candidates of a passage, in reading order."""
    out: list[Sentence] = []
    heading = lead_in = ""
    for b, block in enumerate(BLOCK.finditer(text)):
        start, body = block.start(), block.group().rstrip()
        if _is_heading(body):
            out.append(Sentence(start, start + len(body), _collapse(body), b, "heading", _layers(heading)))
            heading, lead_in = _collapse(body), ""
            continue
        sentences = _block_sentences(text, start, body, b, heading, lead_in)
        out.extend(sentences)
        # A paragraph ending in ":" ("Parter i projektet:") introduces the list in the next block.
        lead_in = sentences[-1].text if sentences and sentences[-1].text.endswith(":") else ""
    return out


def _layers(*texts: str) -> tuple[str, ...]:
    return tuple(t for t in texts if t)


def _is_heading(block: str) -> bool:
    """A one-line block of a few words without sentence punctuation or a list mark."""
    return (
        "\n" not in block
        and len(block.split()) <= HEADING_MAX_WORDS
        and not re.search(r"[.!?:;,]$", block)
        and not _ITEM_MARK.match(block)
        and not re.search(r"\d{3}", block)  # "Antal deltagare 140" is data, not a heading
    )


def _block_sentences(text: str, start: int, body: str, b: int, heading: str, lead_in: str) -> list[Sentence]:
    """Sentences of a paragraph, or of each item of a list with its lead-in as context."""
    items = _items(body)
    first_item = items[0][0] if items else len(body)
    out = _paragraph(text, start, body[:first_item], b, heading)
    if not items:
        return out
    own_lead_in = _collapse(body[:first_item])
    for _, s, e in items:
        earlier: list[str] = []
        for ss, se in sentence_spans(body[s:e]):
            near = _layers(*reversed(earlier), own_lead_in, lead_in, heading)
            out.extend(_units(text, start + s + ss, start + s + se, b, "item", near))
            earlier.append(_collapse(body[s + ss : s + se]))
    # A paragraph right after the list, with no blank line between, is no part of its last item.
    tail = items[-1][2]
    return out + _paragraph(text, start + tail, body[tail:], b, heading)


def _paragraph(text: str, start: int, span: str, b: int, heading: str) -> list[Sentence]:
    """The sentences of `span` (at `start` in `text`), each with the earlier ones and the heading as context."""
    out: list[Sentence] = []
    earlier: list[str] = []
    for s, e in sentence_spans(span):
        out.extend(_units(text, start + s, start + e, b, "sentence", _layers(*reversed(earlier), heading)))
        earlier.append(_collapse(span[s:e]))
    return out


def _items(body: str) -> list[tuple[int, int, int]]:
    """(line start, content start, end) of each list item when the block's lines carry list marks, else []."""
    starts = []
    for line in re.finditer(r"^.*$", body, re.M):
        mark = _ITEM_MARK.match(line.group())
        if mark and line.group()[mark.end() :].strip():
            starts.append((line.start(), line.start() + mark.end()))
    if not starts:
        return []
    ends = [s for s, _ in starts[1:]] + [_last_item_end(body, starts[-1][1])]
    return [
        (line, content, content + len(body[content:end].rstrip()))
        for (line, content), end in zip(starts, ends, strict=True)
    ]


def _last_item_end(body: str, content: int) -> int:
    """Where the list's last item ends: at the end of the block, or at the end of its line when the next line
    starts a sentence of its own ("• Installera elmätare i hushåll" then "I jobbet ingår …") rather than
    going on with the item (a line ending in a comma, a hyphen or a word that needs a next one is wrapped)."""
    line_end = body.find("\n", content)
    while line_end != -1:
        line, following = body[content:line_end].rstrip(), body[line_end + 1 :].lstrip(" \t")
        words = line.split()
        if following[:1].isupper() and words and not _WRAPPED.search(line) and words[-1].casefold() not in _JOINS:
            return line_end
        content, line_end = line_end + 1, body.find("\n", line_end + 1)
    return len(body)


def _units(text: str, start: int, end: int, b: int, kind: str, near: tuple[str, ...]) -> list[Sentence]:
    """One sentence, or pieces of whole lines when a long span is a table (short lines, no full stop)."""
    if end - start <= MAX_UNIT_CHARS or not _table_like(text[start:end]):
        return [Sentence(start, end, _collapse(text[start:end]), b, kind, near)]
    pieces: list[Sentence] = []
    piece_start = start
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        if start + line.end() - piece_start > MAX_UNIT_CHARS and line_start > piece_start:
            piece_end = len(text[:line_start].rstrip())
            pieces.append(Sentence(piece_start, piece_end, _collapse(text[piece_start:piece_end]), b, "line", near))
            near = (pieces[-1].text, *near)
            piece_start = line_start
    pieces.append(Sentence(piece_start, end, _collapse(text[piece_start:end]), b, "line", near))
    return pieces


def _table_like(span: str) -> bool:
    """Table cells read as one "sentence": lines of a few words, or no sentence end at all."""
    lines = span.split("\n")
    return not re.search(r"[.!?]\W*$", span) or sum(map(len, lines)) / len(lines) < TABLE_LINE_CHARS


def _collapse(text: str) -> str:
    """Whitespace collapsed to single spaces; a word broken at a line end by a hyphen is kept as written."""
    return " ".join(text.split())
