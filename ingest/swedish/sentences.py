"""Swedish sentence ends: where chunking may cut a paragraph and where the assistant reads one sentence.

A sentence ends at . ! ? … (and closing quotes or brackets) before whitespace and a capital, digit, quote
or bullet. Abbreviations (`bl.a.`, `t.ex.`, `ca.`) and initials (`A. Svensson`) end none; `112,5`, `1:1`
and dates hold no sentence end to begin with.
"""

from __future__ import annotations

import re

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
        start = _WHITESPACE.match(text, m.end()).end()
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the period at `dot` closes an abbreviation (`bl.a.`, `t.ex.`, `ca.`) or an initial (`A.`)."""
    if text[dot] != ".":
        return False
    word = re.search(r"[\w.]*$", text[max(0, dot - 24) : dot]).group(0)
    lowered = word.casefold()
    return lowered in _ABBREVIATIONS or bool(_DOTTED_ABBREVIATION.match(lowered)) or (len(word) == 1 and word.isupper())
