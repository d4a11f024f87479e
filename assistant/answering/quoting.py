"""Quoting passages in an answer: the span quoted, its marker, numbers checked against the sources.

Every word of an answer's content is quoted from a cited passage. A quote keeps its span in the passage text
so the chat can highlight it; a long sentence is quoted by the window of its words that holds the answer,
marked with "…". Every number in an answer must occur in a cited passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer import Citation, Passage
from assistant.answering.values import numbers_in

# A word for quoting; a number written in digit groups ("250 000") is one word, so no cut falls inside it.
_WORD = re.compile(r"\d{1,3}(?:\s\d{3})+(?!\d)|\S+")


@dataclass(frozen=True)
class Quote:
    """What of a passage is quoted: its span, the text (whitespace collapsed), and whether it was cut."""

    passage: Passage
    start: int
    end: int
    text: str
    cut_left: bool = False
    cut_right: bool = False

    def shown(self, n: int, language: str) -> str:
        """The quote as it appears in the answer: with … where it was cut, and its marker."""
        body = ("…" if self.cut_left else "") + self.text + ("…" if self.cut_right else "")
        if language == "en":
            return f'"{body}" [{n}]'
        if body.endswith("."):
            return f"{body[:-1]} [{n}]."
        return f"{body} [{n}]"


def quote(passage: Passage, start: int, end: int) -> Quote:
    """The span `start:end` of a passage, whole."""
    return Quote(passage, start, end, collapsed(passage.text[start:end]))


def window(passage: Passage, start: int, end: int, limit: int, value: Callable[[str], float]) -> Quote:
    """The span, or — when longer than `limit` — the window of its words richest in `value` (ties: earliest)."""
    whole = quote(passage, start, end)
    if len(whole.text) <= limit:
        return whole
    raw = passage.text[start:end]
    words = [(m.start(), m.end()) for m in _WORD.finditer(raw)]
    values = [value(raw[a:b]) for a, b in words]
    best, best_value = (0, 1), float("-inf")
    for i in range(len(words)):
        j = i + 1
        while j < len(words) and words[j][1] - words[i][0] <= limit:
            j += 1
        worth = sum(values[i:j]) - 0.01 * i
        if worth > best_value:
            best, best_value = (i, j), worth
    i, j = best
    a, b = words[i][0], words[j - 1][1]
    return Quote(passage, start + a, start + b, collapsed(raw[a:b]), i > 0, j < len(words))


def citations(quotes: Sequence[Quote]) -> tuple[list[Citation], list[int]]:
    """One citation per distinct passage, numbered in order of first use; and each quote's number."""
    numbers: dict[str, int] = {}
    cited: list[Citation] = []
    marks = []
    for q in quotes:
        chunk_id = q.passage.chunk.id
        if chunk_id not in numbers:
            numbers[chunk_id] = len(numbers) + 1
            cited.append(Citation(numbers[chunk_id], q.passage, q.text, q.start, q.end))
        else:  # the citation's highlighted span grows to cover every quote from its passage
            c = cited[numbers[chunk_id] - 1]
            start, end = min(c.quote_start, q.start), max(c.quote_end, q.end)
            cited[numbers[chunk_id] - 1] = Citation(c.n, c.passage, collapsed(q.passage.text[start:end]), start, end)
        marks.append(numbers[chunk_id])
    return cited, marks


def numbers_supported(text: str, passages: Sequence[Passage]) -> bool:
    """Whether every number in `text` (markers [n] aside) occurs in one of the passages.

    Both sides are read with whitespace collapsed, as quotes are: "250\\n000" broken over a PDF line is the
    "250 000" of the quote, not "250" and "000".
    """
    text = re.sub(r"\[\d+\]", "", text)
    known = {_normal_number(n) for p in passages for n in numbers_in(collapsed(p.text))}
    return all(_normal_number(n) in known for n in numbers_in(collapsed(text)))


def collapsed(text: str) -> str:
    return " ".join(text.split())


def _normal_number(number: str) -> str:
    return re.sub(r"\s", "", number).replace(",", ".")
