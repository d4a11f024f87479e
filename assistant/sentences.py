"""Reading a passage for answers: its sentences with their spans and context, and the acronyms it defines.

A passage's text is cut into blocks at blank lines; a block is a paragraph (cut into sentences), a list
(one unit per item, items cut into sentences), or a one-line heading. Lines broken inside a sentence, as
in PDF-extracted text, are joined. Every `Sentence` keeps its span in the passage text, so a quote can be
highlighted, and the text around it that says what it is about: the headings above it in the passage,
the list's lead-in ("Parter i projektet:"), and the sentences before it in its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.analysis import decompound

# A sentence ends at . ! ? … (and closing quotes/brackets) before whitespace and a capital, digit or quote.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“”'(\[]?[A-ZÅÄÖÉÜ0-9•–-])")
_ABBREVIATIONS = frozenset(
    "bl.a t.ex ca nr m.m mm osv dvs d.v.s s.k resp o.s.v fr.o.m t.o.m jfr kap st kl tel ex inkl exkl f.d p.g.a "
    "pga enl mnkr mdkr tkr kr milj ang avd prof dr m.fl mfl o.d e.d etc sid s vs jan feb mar apr jun jul aug "
    "sep sept okt nov dec e.g i.e no fig tab skr prop".split()
)
_ITEM_MARK = re.compile(r"[ \t]*(?:[•·▪◦*]|[-–—](?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))[ \t]*")
_BLOCK = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")
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
    for b, block in enumerate(_BLOCK.finditer(text)):
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
    out: list[Sentence] = []
    first_item = items[0][0] if items else len(body)
    earlier: list[str] = []
    for s, e in _sentence_spans(body[:first_item]):
        out.extend(_units(text, start + s, start + e, b, "sentence", _layers(*reversed(earlier), heading)))
        earlier.append(_collapse(body[s:e]))
    if not items:
        return out
    own_lead_in = _collapse(body[:first_item])
    for _, s, e in items:
        earlier = []
        for ss, se in _sentence_spans(body[s:e]):
            near = _layers(*reversed(earlier), own_lead_in, lead_in, heading)
            out.extend(_units(text, start + s + ss, start + s + se, b, "item", near))
            earlier.append(_collapse(body[s + ss : s + se]))
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
    ends = [s for s, _ in starts[1:]] + [len(body)]
    return [(line, content, content + len(body[content:end].rstrip())) for (line, content), end in zip(starts, ends)]


def _sentence_spans(body: str) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph; abbreviations (bl.a., t.ex.) and initials do not end one."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(body):
        if _is_abbreviation(body, m.start()):
            continue
        spans.append((start, m.end()))
        start = m.end() + len(body[m.end() :]) - len(body[m.end() :].lstrip())
    if start < len(body.rstrip()):
        spans.append((start, len(body.rstrip())))
    return [(s, e) for s, e in spans if body[s:e].strip()]


def _is_abbreviation(body: str, dot: int) -> bool:
    if body[dot] != ".":
        return False
    word = re.search(r"[\w.]*$", body[:dot]).group(0)
    lowered = word.casefold()
    return lowered in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-zåäö]{1,3}\.)+[a-zåäö]{1,3}", lowered)) or (
        len(word) == 1 and word.isupper()
    )


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


# --- acronyms ------------------------------------------------------------------------------------------------

ACRONYM = r"[A-ZÅÄÖ][A-ZÅÄÖ0-9]*[A-ZÅÄÖ](?:-[A-ZÅÄÖ]{2,})?\+?"
# Small words an expansion may contain without a letter of its own ("Fonden för en rättvis omställning").
_LINK_WORDS = frozenset("för en ett och i av till på med om the of and for in to de det den".split())
_WORDS_BEFORE = re.compile(r"((?:[\w+-]+[ \t\n]+){1,9})$")


@dataclass(frozen=True)
class Definition:
    """An acronym defined in a text, the words it stands for and the span of the definition."""

    acronym: str
    expansion: str
    start: int
    end: int


def find_definitions(text: str) -> list[Definition]:
    """Acronyms defined in `text`: "Hållbar samhällsomställning, HSO,", "… utvecklingsfonden (ERUF)",
    "LINN (Lärcentrum i norra Norrland)"."""
    out: list[Definition] = []
    for m in re.finditer(rf"(?<![\w+-])({ACRONYM})(?![\w+-])", text):
        acronym = m.group(1)
        if len(acronym.rstrip("+")) < 2:
            continue
        found = _definition_before(text, m, acronym) or _definition_after(text, m, acronym)
        if found:
            out.append(found)
    return out


def _definition_before(text: str, m: re.Match[str], acronym: str) -> Definition | None:
    """Words right before the acronym (or its opening bracket / comma) whose initials spell it."""
    head = text[: m.start()]
    opener = re.search(r"[ \t]*[(,]?[ \t]*$", head)
    before = _WORDS_BEFORE.search(head[: opener.start()] + " ")
    if not before:
        return None
    words = before.group(1).split()
    for n in range(1, len(words) + 1):  # the shortest expansion wins
        candidate = words[-n:]
        if spells(acronym, candidate):
            expansion = " ".join(candidate)
            start = head.rfind(candidate[0], 0, opener.start())
            return Definition(acronym, expansion, start, m.end() + (1 if text[m.end() : m.end() + 1] == ")" else 0))
    return None


def _definition_after(text: str, m: re.Match[str], acronym: str) -> Definition | None:
    """"LINN (Lärcentrum i norra Norrland)": a bracket after the acronym whose words spell it."""
    after = re.match(r"[ \t]*\(([^()]{3,120})\)", text[m.end() :])
    if not after:
        return None
    words = after.group(1).split()
    if spells(acronym, words):
        return Definition(acronym, " ".join(words), m.start(), m.end() + after.end())
    return None


def spells(acronym: str, words: list[str]) -> bool:
    """Whether the words, in order, account for the acronym's letters: each word gives its initial and may
    give the initials of its compound parts (utvecklings|fonden → U, F); small link words may give none."""
    letters = [c.casefold() for c in acronym if c.isalpha() or c == "+"]
    if not words or not letters or words[0].casefold() in _LINK_WORDS:
        return False
    return _align(tuple(letters), tuple(w.casefold().strip(",.;:()") for w in words))


@lru_cache(maxsize=4096)
def _align(letters: tuple[str, ...], words: tuple[str, ...]) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in _LINK_WORDS and _align(letters, rest):
        return True
    if not letters:
        return False
    if letters[0] == "+":
        return word == "plus" and _align(letters[1:], rest)
    if not word.startswith(letters[0]):
        return False
    initials = [part[:1] for part in decompound(word)[1:]]
    # The word gives its initial, then possibly the initials of its later compound parts, in order.
    for k in range(len(initials) + 1):
        if list(letters[1 : 1 + k]) == initials[:k] and _align(letters[1 + k :], rest):
            return True
    return False
