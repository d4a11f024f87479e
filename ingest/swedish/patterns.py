"""Patterns of Swedish documents that several stages look for, each defined once.

Strings (`YEAR`, `NUMBER`) are for building larger patterns; compiled ones (`YEAR_RE`, `PAGE_MARKER`,
`CONTENTS_LINE`, …) are used as they are.
"""

from __future__ import annotations

import re

# A run of letters (no digits, no underscore): a word as the word lists and the repair see it.
LETTERS = re.compile(r"[^\W\d_]+")

# Swedish letters as addresses and web domains spell them ("ulrika.aberg@tillvaxtverket.se", "hoga-kusten.se"):
# `word.translate(WITHOUT_DIACRITICS)`.
WITHOUT_DIACRITICS = str.maketrans("åäöéü", "aaoeu")

# Characters that split a word invisibly when left in: soft hyphen, zero-width space and joiners,
# word joiner, byte-order mark.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

# A year of the 1900s or 2000s standing alone: not glued to a word or a code ("N2021/03079"), not part of
# a decimal ("2020,5") or a reference ("1:2020"); punctuation after it is fine ("2017, …", "2018-2019").
YEAR = r"(?<!\w)(?<!\d[:.,])(?:19|20)\d\d(?!\w)(?![:.,]\d)"
YEAR_RE = re.compile(YEAR)

# A Swedish month, written out or abbreviated ("6 februari 2024", "6 feb. 2024"); use with re.IGNORECASE.
MONTH = (
    r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|dec)\b\.?"
)

# A Swedish number: digit groups set apart by a space, a no-break or a narrow no-break space
# ("56 000 000"), or a number with a decimal comma or point ("112,5", "3.2").
NUMBER = r"(?<![\w,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|(?<![\w,.])\d+(?:[,.]\d+)?(?![\d])"

# `3(45)` on a line of its own: page 3 of 45, as Word-made PDFs print it in the page header.
PAGE_MARKER = re.compile(r"^[ \t]*(?P<page>\d{1,4})[ \t]*\([ \t]*(?P<pages>\d{1,4})[ \t]*\)[ \t]*$", re.M)

# A line of a table of contents: an entry, a leader (. . . . or …… or ____) and a page number, arabic or
# roman (front matter is numbered i, ii, …).
CONTENTS_LINE = re.compile(
    r"^(?P<entry>.*?\S)?[ \t]*(?:(?:\.[ \t]*){4,}|…{2,}|_{4,})[ \t]*(?P<page>\d{1,4}|[ivxlc]{1,6})[ \t]*$", re.I
)

# A negation ("Vad kan operativt arbete inte handla om?"), Swedish or English; use with .search.
NEGATION = re.compile(r"\b(?:inte|ej|icke|aldrig|ingen|inget|inga|not|never|no)\b|n't\b", re.IGNORECASE)
