"""Find the headings of a cleaned text and cut it into sections with heading paths.

Four kinds of heading are recognised, tried in this order on each line:

1. markdown headings (`## Rubrik`), as the Word, HTML and markdown loaders write them: level = number of `#`;
2. labelled top-level titles, `Återrapportering 2 – Fördelning av anslag…`, `Insatsområde 1: Det hållbara…`:
   level 1, numbered `(2,)` for the rule in 3;
3. numbered sections, `1.2.1 Likvärdiga möjligheter…`: level = depth of the number. Numbers count only as
   part of the document's numbering: the longest run of candidates in which each number follows the one
   before (a child `1.2` → `1.2.1`, a next sibling `1.2.1` → `1.2.2`, or a next ancestor `1.2.1.4` → `1.3`
   / `2`). That keeps table cells like `2 SME som introducerar` and list items like `1. Fysiska
   förutsättningar` out. A heading wrapped over up to four lines continues while the next line goes on in
   lower case and no sentence has ended;
4. short title lines (`Grön omställning`): a lone line between blank lines, followed by a paragraph or a list,
   not ending in `.`, `:`, `,`, `;` or a little word like `och`. Their level is one below the last heading of
   kinds 1–3 (1 when there is none), so they nest under numbered sections and are siblings of each other.

A heading equal to the document's title gets level 0: it is not part of any heading path (the title is
already the prefix of every chunk's embed text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.swedish.patterns import MONTH

# Each element of a heading path is capped: the path is prefixed to every chunk the embedder reads.
MAX_HEADING_WORDS = 40

_MARKDOWN = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,5})([.)]?)\s+(\S.*)$")
_LABELLED = re.compile(r"^([A-ZÅÄÖ][a-zåäöéü]{2,})\s+(\d{1,2})\s*[–—:-]\s*(\S.*)$")
_LIST_ITEM = re.compile(r"^(?:•|\d{1,2}[.)]\s)")
_DATE_LINE = re.compile(rf"^[\d\s:./-]+$|^\d{{1,2}} {MONTH} \d{{4}}", re.I)
_SENTENCE_END = (".", "!", "?", ":", ";")
# Swedish (and English) little words that end a wrapped line, never a heading.
_FUNCTION_WORDS = frozenset(
    "och i av för till med på som att en ett den det de om från vid under över eller samt men inom "
    "mellan efter mot utan hos genom både the and of for to in on with a an".split()
)


@dataclass(frozen=True)
class Heading:
    """A heading: its character span (one or more lines), level and whitespace-normalised text."""

    start: int
    end: int
    level: int
    text: str


@dataclass(frozen=True)
class Section:
    """The body under one heading (or before the first): its span, heading path and top-level group."""

    heading_path: tuple[str, ...]
    top: int  # index of the heading at the head of the path; -1 before the first top-level heading
    heading: Heading | None
    start: int
    end: int


def split_sections(text: str, *, title: str = "") -> list[Section]:
    """Cut `text` at its headings; every character belongs to exactly one section's heading or body."""
    headings = find_headings(text, title=title)
    sections: list[Section] = []
    stack: list[tuple[int, str, int]] = []  # (level, text, heading index)
    path: tuple[str, ...] = ()
    current: Heading | None = None
    body_start, top = 0, -1
    for index, heading in enumerate(headings):
        sections.append(Section(path, top, current, body_start, heading.start))
        if heading.level == 0:
            stack = []
        else:
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            stack.append((heading.level, _cap(heading.text), index))
        path = tuple(t for _, t, _ in stack)
        top = stack[0][2] if stack else -1
        current, body_start = heading, heading.end
    sections.append(Section(path, top, current, body_start, len(text)))
    return [s for s in sections if s.heading is not None or s.end > s.start]


def _cap(text: str) -> str:
    words = text.split()
    return text if len(words) <= MAX_HEADING_WORDS else " ".join(words[:MAX_HEADING_WORDS]) + " …"


class _Lines:
    """The text's lines with their character offsets, stripped for matching."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.texts: list[str] = []
        pos = 0
        for raw in text.split("\n"):
            self.starts.append(pos)
            self.ends.append(pos + len(raw))
            self.texts.append(raw.strip())
            pos += len(raw) + 1

    def __len__(self) -> int:
        return len(self.texts)

    def get(self, i: int) -> str:
        return self.texts[i] if 0 <= i < len(self.texts) else ""

    def block_before(self, i: int) -> tuple[int, int] | None:
        """(first, last) line index of the block of non-blank lines before line `i`'s blank line(s)."""
        k = i - 1
        while k >= 0 and not self.texts[k]:
            k -= 1
        if k < 0:
            return None
        j = k
        while j > 0 and self.texts[j - 1]:
            j -= 1
        return j, k

    def block_after(self, i: int) -> tuple[int, int] | None:
        """(first, last) line index of the next block of non-blank lines after line `i`'s blank line(s)."""
        j = i + 1
        while j < len(self) and not self.texts[j]:
            j += 1
        if j >= len(self):
            return None
        k = j
        while k + 1 < len(self) and self.texts[k + 1]:
            k += 1
        return j, k


def find_headings(text: str, *, title: str = "") -> list[Heading]:
    """The headings of `text`, in order (see the module docstring for the rules)."""
    lines = _Lines(text)
    finder = _HeadingFinder(lines, _norm(title))
    finder.chain = _numbering_chain(finder.numbered_candidates())
    headings: list[Heading] = []
    i = 0
    while i < len(lines):
        found = finder.heading_at(i) if lines.get(i) else None
        if found is None:
            i += 1
            continue
        last, level, heading_text = found
        if _norm(heading_text) == finder.title:
            level = 0
        headings.append(Heading(lines.starts[i], lines.ends[last], level, " ".join(heading_text.split())))
        finder.after_heading = last
        i = last + 1
    return headings


def _norm(text: str) -> str:
    return " ".join(text.lstrip("#").split()).casefold()


def _numbering_chain(candidates: list[tuple[int, tuple[int, ...]]], window: int = 200) -> set[int]:
    """Line indices of the longest run of numbered candidates in which each number follows the one before.

    Choosing the whole run at once, rather than accepting numbers greedily, keeps one stray number (a
    table cell `2 SME…`) from derailing every heading after it.
    """
    best: list[int] = []
    back: list[int] = []
    for j, (_, number) in enumerate(candidates):
        length, previous = (1, -1) if _follows((), number) else (0, -1)
        for i in range(j - 1, max(-1, j - 1 - window), -1):  # nearest first: it wins ties
            if best[i] and best[i] + 1 > length and _follows(candidates[i][1], number):
                length, previous = best[i] + 1, i
        best.append(length)
        back.append(previous)
    chain: set[int] = set()
    j = max(range(len(best)), key=lambda k: (best[k], -k), default=-1)
    while j >= 0 and best[j]:
        chain.add(candidates[j][0])
        j = back[j]
    return chain


class _HeadingFinder:
    """Tries the four heading kinds at a line, remembering the last structural level."""

    def __init__(self, lines: _Lines, title: str):
        self.lines = lines
        self.title = title
        self.chain: set[int] = set()  # lines whose numbers form the document's numbering
        self.anchor = 0  # level of the last markdown, labelled or numbered heading
        self.after_heading = -2  # index of the last line of the previous heading

    def numbered_candidates(self) -> list[tuple[int, tuple[int, ...]]]:
        """(line, number) of every line that could be a numbered or labelled heading, numbering aside."""
        found = []
        for i in range(len(self.lines)):
            candidate = self._labelled_candidate(i) or self._numbered_candidate(i)
            if candidate:
                found.append((i, candidate[1]))
                self.after_heading = candidate[0]
        self.after_heading = -2
        return found

    def heading_at(self, i: int) -> tuple[int, int, str] | None:
        """(last line index, level, text) if a heading starts at line `i`."""
        if self.title and _norm(self.lines.get(i)) == self.title:
            return i, 0, self.lines.get(i)
        return self._markdown(i) or self._numbering(i) or self._title_line(i)

    def _markdown(self, i: int) -> tuple[int, int, str] | None:
        m = _MARKDOWN.match(self.lines.get(i))
        if not m:
            return None
        self.anchor = len(m[1])
        return i, len(m[1]), m[2]

    def _numbering(self, i: int) -> tuple[int, int, str] | None:
        """A labelled or numbered heading whose number is part of the document's numbering."""
        if i not in self.chain:
            return None
        candidate = self._labelled_candidate(i) or self._numbered_candidate(i)
        if candidate is None:
            return None
        last, number, text = candidate
        self.anchor = len(number)
        return last, len(number), text

    def _labelled_candidate(self, i: int) -> tuple[int, tuple[int, ...], str] | None:
        """`Återrapportering 2 – Fördelning…`: (last line, (2,), text), or None."""
        m = _LABELLED.match(self.lines.get(i))
        if not m or not m[3][0].isupper():
            return None
        last = self._wrapped_end(i)
        if not self._after_break(i) and not self._stands_alone(last):
            return None
        heading = self._joined(i, last)
        return (last, (int(m[2]),), heading) if _plausible_heading(heading, max_words=25) else None

    def _numbered_candidate(self, i: int) -> tuple[int, tuple[int, ...], str] | None:
        """`1.2.1 Likvärdiga möjligheter…`: (last line, (1, 2, 1), text), or None."""
        m = _NUMBERED.match(self.lines.get(i))
        if not m or not m[3][0].isupper():
            return None
        number = _parse_number(m[1])
        if self._is_list_item(i, number):
            return None
        last = self._wrapped_end(i)
        if not self._after_break(i) and not self._stands_alone(last):
            return None
        heading = self._joined(i, last)
        top_level = len(number) == 1
        if not _plausible_heading(heading, max_words=12 if top_level else 60) or (top_level and heading.endswith(".")):
            return None
        return last, number, heading

    def _title_line(self, i: int) -> tuple[int, int, str] | None:
        line = self.lines.get(i)
        if self.lines.get(i + 1) or not (i == 0 or not self.lines.get(i - 1) or self.after_heading == i - 1):
            return None
        if not _title_like(line) or not self._paragraph_follows(i) or self._inside_table(i):
            return None
        return i, self.anchor + 1, line

    def _after_break(self, i: int) -> bool:
        """A heading starts a page, follows a blank line, a finished sentence or another heading."""
        prev = self.lines.get(i - 1)
        return i == 0 or not prev or prev.endswith(_SENTENCE_END) or self.after_heading == i - 1

    def _stands_alone(self, last: int) -> bool:
        """A heading glued to the text above (a page break lost in extraction) must be set apart below."""
        return not self.lines.get(last + 1) and self._paragraph_follows(last)

    def _wrapped_end(self, i: int, max_extra: int = 3) -> int:
        """Last line of a heading that may wrap: continue while the next line goes on in lower case."""
        j = i
        while j - i < max_extra:
            current, nxt = self.lines.get(j), self.lines.get(j + 1)
            if current.endswith((".", "!", "?", ":")) or not nxt or not nxt[0].islower():
                break
            j += 1
        return j

    def _joined(self, i: int, last: int) -> str:
        return " ".join(self.lines.get(k) for k in range(i, last + 1))

    def _is_list_item(self, i: int, number: tuple[int, ...]) -> bool:
        """Numbered list items: after a lead-in ending in `:`, or next to an item of the same depth."""
        if len(number) == 1:
            k = i - 1
            while k >= 0 and not self.lines.get(k):
                k -= 1
            if self.lines.get(k).endswith(":"):
                return True
        for neighbour in (self.lines.get(i - 1), self.lines.get(i + 1)):
            m = _NUMBERED.match(neighbour)
            if m and len(_parse_number(m[1])) == len(number):
                return True
        return False

    def _paragraph_follows(self, i: int) -> bool:
        """A title line introduces real content: a list, a heading, or a paragraph that is long or ends a sentence."""
        block = self.lines.block_after(i)
        while block and block[0] == block[1] and _DATE_LINE.match(self.lines.get(block[0])):
            block = self.lines.block_after(block[1])  # a dateline under a news headline
        if block is None:
            return False
        first = self.lines.get(block[0])
        if _LIST_ITEM.match(first) or _MARKDOWN.match(first) or _LABELLED.match(first):
            return True  # a list, or a heading of its own (a title over a chapter title)
        if not first[0].isupper() and not first[0].isdigit():
            return False
        words = sum(len(self.lines.get(k).split()) for k in range(block[0], block[1] + 1))
        return words >= 12 or self.lines.get(block[1]).endswith(_SENTENCE_END)

    def _inside_table(self, i: int) -> bool:
        """Flattened table cells: short fragments, or blocks of narrow lines, above or below the line."""
        below = self.lines.block_after(i)
        if below and self._narrow(*below):
            return True
        if self.after_heading >= i - 2:
            return False
        above = self.lines.block_before(i)
        if above is None or _LIST_ITEM.match(self.lines.get(above[0])):
            return False
        last = self.lines.get(above[1])
        short_cell = len(last.split()) <= 6 and not last.endswith(_SENTENCE_END)
        return short_cell or self._narrow(*above)

    def _narrow(self, first: int, last: int) -> bool:
        """Two or more lines of at most five words on average: a table column, not prose."""
        if last == first or _LIST_ITEM.match(self.lines.get(first)):
            return False
        words = sum(len(self.lines.get(k).split()) for k in range(first, last + 1))
        return words / (last - first + 1) <= 5


def _parse_number(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _follows(previous: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """True if `number` can come next after section `previous` (child, next sibling or next ancestor).

    At the start any chapter may open the document (`3`, `3.1`), but not a deep number like `1.2.3`.
    """
    if not previous:
        return all(part == 1 for part in number[1:])
    for depth in range(len(previous)):
        if (
            len(number) > depth
            and number[:depth] == previous[:depth]
            and number[depth] == previous[depth] + 1
            and all(part == 1 for part in number[depth + 1 :])
        ):
            return True
    return (
        len(number) > len(previous)
        and number[: len(previous)] == previous
        and all(part == 1 for part in number[len(previous) :])
    )


def _plausible_heading(text: str, *, max_words: int) -> bool:
    words = text.split()
    return len(words) <= max_words and not text.endswith((",", ";")) and words[-1].casefold() not in _FUNCTION_WORDS


def _title_like(line: str) -> bool:
    """A short line that could be a title: capitalised, no final punctuation, not a list item, quote or date."""
    words = line.split()
    return (
        1 <= len(words) <= 12
        and len(line) <= 100
        and line[0].isupper()
        and not line.endswith((".", ":", ",", ";"))
        and words[-1].casefold() not in _FUNCTION_WORDS
        and " | " not in line
        and "@" not in line
        and "http" not in line
        and not _DATE_LINE.match(line)
        and any(len(word) >= 4 and word.isalpha() for word in words)
    )
