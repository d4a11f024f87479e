"""The Swedish analyser: text → tokens → stop words out → stems, compounds also indexed by their parts.

Documents (`analyze`) and queries (`analyze_query`) go through the same chain, so they meet on the same
terms. Stems come from the lexicon (`ingest.swedish.lexicon.stem`), compound parts from the decompounder
(`ingest.swedish.compounds.decompound`). A change here or there that alters the terms must bump
`ANALYZER_VERSION`: stored BM25 indexes then refuse to load until they are rebuilt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ingest.swedish.compounds import decompound
from ingest.swedish.lexicon import STOP_WORDS, lexicon, stem
from ingest.swedish.patterns import INVISIBLE

ANALYZER_VERSION = 1

# Words that carry no topic in a question ("Hur många kommuner finns …?"): dropped by `content_terms` only.
QUESTION_FILLER = frozenset(
    "många mycket finns fanns gäller heter hette ligger låg stämmer kallas betyder innebär menas".split()
)

# A number with its inner separators kept ("1:1", "112,5", "3.2"), or a run of letters/digits.
# "EU:s", "HSO:n" are an acronym plus a colon-attached Swedish inflection: only the group is kept.
_TOKEN = re.compile(r"(\d+(?:[:.,]\d+)*|\w+)(?::[^\W\d_]{1,3}\b)?")


def load() -> None:
    """Load the word lists the analyser stands on now (about 0.7 s from cold) rather than in a first analysis."""
    lexicon()


def normalize(text: str) -> str:
    """NFC, with invisible break characters removed (they would split words)."""
    return INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def tokenize(text: str) -> list[str]:
    """Case-folded word and number tokens; hyphens, dashes and punctuation separate tokens."""
    return [t for t in _TOKEN.findall(normalize(text).casefold()) if len(t) > 1 or t.isdigit()]


@lru_cache(maxsize=200_000)
def terms_of(token: str) -> tuple[str, ...]:
    """Index terms of one token: its stem, then the stems of its compound parts; () for a stop word."""
    if token in STOP_WORDS:
        return ()
    out = [stem(token)]
    for part in decompound(token):
        for term in (stem(part), *(stem(p) for p in decompound(part))):
            if term not in out:
                out.append(term)
    return tuple(out)


def analyze(text: str) -> list[str]:
    """The full chain, text → index terms: what BM25 indexes for a document."""
    return [term for token in tokenize(text) for term in terms_of(token)]


@dataclass(frozen=True)
class QueryTerms:
    """A query's distinct terms: stems of its words, and stems of compound parts not already among them.

    They are kept apart so retrieval can weigh parts less: a document with the very compound asked
    about (kompetensförsörjning) should beat one that merely mentions a part (kompetens) often.
    """

    words: tuple[str, ...]
    parts: tuple[str, ...]


def analyze_query(text: str) -> QueryTerms:
    """The terms of a query, words and compound parts apart (same analyser as `analyze`)."""
    words: dict[str, None] = {}
    parts: dict[str, None] = {}
    for token in tokenize(text):
        terms = terms_of(token)
        if terms:
            words.setdefault(terms[0], None)
            parts.update(dict.fromkeys(terms[1:]))
    return QueryTerms(tuple(words), tuple(p for p in parts if p not in words))


def content_terms(question: str) -> list[str]:
    """The distinct index terms of a question that carry its topic (for scoring answer sentences)."""
    seen: dict[str, None] = {}
    for token in tokenize(question):
        if token in QUESTION_FILLER:
            continue
        for term in terms_of(token):
            seen.setdefault(term, None)
    return list(seen)
