"""Acronyms: what one looks like, how well words spell one, and where a text says what one stands for.

Words spell an acronym when, in order, each gives its initial and maybe the initials of its later parts:
Swedish compounds let one word give several letters (samhälls|omställning → S, O; ESF-rådet → E, R), and
small words (i, och, för) may give none. `spelling_score` grades a spelling (a word initial counts more
than a compound part's); `spells` is the exact reading: initials and compound parts only.

A text defines an acronym in one of these forms, the expansion being the run of words next to it:

    Hållbar samhällsomställning, HSO,                expansion, ACR,
    Europeiska regionala utvecklingsfonden (ERUF)    expansion (ACR)
    LINN (Lärcentrum i norra Norrland)               ACR (expansion)
    RIG – Regional Input Group                       ACR – expansion

`find_definitions` (what answers quote) also takes an acronym written right after its words ("Fonden för
rättvis omställning FRO."), but only the shortest run of plain words that spells it exactly, and no dash.
`stated_definitions` (what the glossary lists) needs the brackets, commas or dash, and takes the words
that spell it best by grade, so a left-out word or a syllable of a one-word name (Nordkalottrådet, NKR)
may count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.swedish.compounds import decompound
from ingest.swedish.lexicon import STOP_WORDS

# An acronym as written: capitals, maybe with digits, "+" or a hyphenated capital part (REACT-EU, ESF+).
ACRONYM_TOKEN = r"[A-ZÅÄÖ][A-ZÅÄÖ0-9]*[A-ZÅÄÖ](?:-[A-ZÅÄÖ]{2,})?\+?"
_TOKEN = re.compile(rf"(?<![\w+-])({ACRONYM_TOKEN})(?![\w+-])")
_ROMAN = re.compile(r"[IVXLCDM]+")
# Words a definition may contain without a letter of their own ("Fonden för en rättvis omställning").
SMALL_WORDS = frozenset("i och för en ett av till på med om vid the of and for in to on at de".split())
# Where the words before a definition stop: the end of the previous sentence, clause or bracket.
CLAUSE_BOUNDARY = re.compile(r"[.!?;:()•\[\]]|,(?=\s)|\n\s*\n|\s[–—-]\s")
# Without brackets or commas to go by, only a run of plain words is read: any other character ends it.
_RUN_BOUNDARY = re.compile(r"[^\w \t\n+-]")
_WORD = re.compile(r"\S+")
_BRACKET_AFTER = re.compile(r"[ \t]*\(([^()]{3,120})\)")
# The stated forms: "(ACR)" and ", ACR," after the expansion; "ACR (…)" and "ACR – …" before it.
_STATED = r"[A-ZÅÄÖ]{2,8}"
_STATED_BEFORE = (re.compile(rf"\(\s*({_STATED})\s*\)"), re.compile(rf",\s*({_STATED})\s*,"))
_STATED_AFTER = (
    re.compile(rf"(?<![\w-])({_STATED})\s*\(([^()\n]{{3,120}})\)"),
    re.compile(rf"(?<![\w-])({_STATED})\s+[–—-]\s+([^\n.;:()]{{3,120}})"),
)

MIN_SCORE = 0.6  # mean credit per letter for a stated definition
# An expansion a text implies but never states: how often its words must be written, and the shortest acronym
# read so (two letters are spelled by chance everywhere: "eventuella utmaningar" for EU).
IMPLIED_MIN_TIMES = 2
IMPLIED_MIN_LETTERS = 3
MIN_INFERRED = 0.85  # an inferred expansion spells the acronym with word and compound initials only
_PHRASE_TOKEN = re.compile(r"[\wÅÄÖåäö-]+")
_FUNCTION_WORDS = SMALL_WORDS | STOP_WORDS | {"samt"}
WORDS_BEFORE = 10  # the longest expansion read before a stated acronym
RUN_WORDS = 9  # … and before one written without brackets
WORD, PART, INNER = 1.0, 0.75, 0.5  # credit for a letter that starts a word, a compound part, a syllable
SKIPPED = 0.5  # cost of a content word that gives no letter

Word = tuple[int, int, str]  # start, end, the word as written


@dataclass(frozen=True)
class Definition:
    """An acronym defined in a text, the words it stands for, the span of the definition and its spelling score."""

    acronym: str
    expansion: str
    start: int
    end: int
    score: float


def is_acronym(token: str) -> bool:
    """Two to eight capitals that are not a Roman numeral (II, XIV)."""
    return 2 <= len(token) <= 8 and token.isupper() and token.isalpha() and not _ROMAN.fullmatch(token)


# --- finding definitions ------------------------------------------------------------------------------------


def find_definitions(text: str) -> list[Definition]:
    """Acronyms written next to words that spell them exactly, with or without brackets and commas:
    "Hållbar samhällsomställning, HSO,", "… utvecklingsfonden (ERUF)", "LINN (Lärcentrum i norra Norrland)"."""
    out: list[Definition] = []
    for m in _TOKEN.finditer(text):
        acronym = m.group(1)
        if len(acronym.rstrip("+")) < 2:
            continue
        words = _words_before(text, _opener(text, m.start()), RUN_WORDS, _RUN_BOUNDARY)
        found = _shortest_before(acronym, words, text, m.end())
        found = found or _bracket_after(text, m, acronym)
        if found:
            out.append(found)
    return out


def _opener(text: str, at: int) -> int:
    """Where the words before an acronym end: before the bracket or comma that opens it, if any."""
    head = text[:at].rstrip(" \t")
    return len(head[:-1].rstrip(" \t")) if head.endswith(("(", ",")) else len(head)


def _shortest_before(acronym: str, words: list[Word], text: str, end: int) -> Definition | None:
    """The fewest words right before the acronym that spell it exactly."""
    end += 1 if text[end : end + 1] == ")" else 0
    for window in (words[-n:] for n in range(1, len(words) + 1)):
        score = spelling_score(acronym, _texts(window), strict=True)
        if score is not None:
            return Definition(acronym, _joined(window), window[0][0], end, score)
    return None


def _bracket_after(text: str, m: re.Match[str], acronym: str) -> Definition | None:
    """ "LINN (Lärcentrum i norra Norrland)": a bracket after the acronym whose words all spell it exactly."""
    after = _BRACKET_AFTER.match(text, m.end())
    words = after.group(1).split() if after else []
    score = spelling_score(acronym, words, strict=True) if after and words else None
    if after is None or score is None:
        return None
    return Definition(acronym, " ".join(words), m.start(), after.end(), score)


def stated_definitions(text: str, min_score: float = MIN_SCORE) -> list[Definition]:
    """Definitions in one of the four stated forms, each the run of words next to the acronym that spells
    it best (ties: the shorter), if it scores at least `min_score`."""
    out: list[Definition] = []
    for pattern in _STATED_BEFORE:
        for m in pattern.finditer(text):
            words = _words_before(text, m.start())
            out += _best(m.group(1), [words[i:] for i in range(len(words))], m, min_score)
    for pattern in _STATED_AFTER:
        for m in pattern.finditer(text):
            words = _words(text, m.start(2), m.end(2))
            out += _best(m.group(1), [words[:i] for i in range(len(words), 0, -1)], m, min_score)
    return out


def _best(acronym: str, windows: list[list[Word]], m: re.Match[str], min_score: float) -> list[Definition]:
    """The best-spelling window as a definition spanning the match, or nothing if none spells well enough."""
    if not is_acronym(acronym):
        return []
    scored = []
    for win in windows:
        spelled = spelling_score(acronym, _texts(win)) if win else None
        if spelled is not None and spelled >= min_score:
            scored.append((spelled, -len(win), _texts(win), win))
    if not scored:
        return []
    score, _, _, window = max(scored, key=lambda s: s[:3])
    return [Definition(acronym, _joined(window), min(window[0][0], m.start()), m.end(), score)]


def _words_before(
    text: str, end: int, limit: int = WORDS_BEFORE, boundary: re.Pattern[str] = CLAUSE_BOUNDARY
) -> list[Word]:
    """The words of the clause that ends at `end` (after the last `boundary`), at most `limit` of them."""
    head_start = max(0, end - 300)
    cut = list(boundary.finditer(text, head_start, end))
    return _words(text, cut[-1].end() if cut else head_start, end)[-limit:]


def _words(text: str, start: int, end: int) -> list[Word]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


def _texts(window: list[Word]) -> list[str]:
    return [w for _, _, w in window]


def _joined(window: list[Word]) -> str:
    """The expansion as written, whitespace collapsed and without a trailing comma."""
    return " ".join(_texts(window)).strip(" ,")


def uses_acronym(text: str, acronym: str) -> bool:
    """Whether a text writes `acronym` as a word of its own."""
    return any(m.group(1) == acronym for m in _TOKEN.finditer(text))


def spelled_phrases(text: str, acronym: str) -> list[tuple[int, int, float]]:
    """Every run of words in a text whose content words spell `acronym` by word initials and compound parts
    alone (strict), within a clause and starting with a content word, as (start, end, spelling score ≥
    `MIN_INFERRED`)."""
    out = []
    tokens = list(_PHRASE_TOKEN.finditer(text))
    for i, first in enumerate(tokens):
        if first.group()[:1].casefold() != acronym[0].casefold() or first.group().casefold() in STOP_WORDS:
            continue
        for window in (tokens[i : i + n] for n in range(1, len(acronym) + 2)):
            if CLAUSE_BOUNDARY.search(text[first.start() : window[-1].end()]):
                break
            words = [t.group() for t in window]
            score = spelling_score(acronym, words, strict=True)
            # Function words give no letters of a name ("serviceseminarier och utbildningar" is no SOU).
            content = [w for w in words if w.casefold() not in _FUNCTION_WORDS]
            if score is not None and score >= MIN_INFERRED and spells(acronym, content):
                out.append((first.start(), window[-1].end(), score))
    return out


def implied_expansion(texts: Sequence[str], acronym: str) -> tuple[int, str, int, int] | None:
    """The words that most often spell `acronym` (`spelled_phrases`) in the texts that use it, when none says
    what it stands for ("den regionala utvecklingsstrategin" in the passages "kopplade till RUS"): the text's
    index, the words and their span where first written; else None. Chance spellings are kept out: the words
    are written at least `IMPLIED_MIN_TIMES` in those texts, are of two letters or more, and do not end in a
    small word ("företagande och")."""
    if sum(c.isalpha() for c in acronym) < IMPLIED_MIN_LETTERS:
        return None
    found: dict[str, list[tuple[int, int, int]]] = {}
    for n, text in enumerate(texts):
        if not uses_acronym(text, acronym):
            continue
        for start, end, _ in spelled_phrases(text, acronym):
            words = text[start:end].split()
            if words[-1].casefold() in SMALL_WORDS or any(len(w) < 2 for w in words):
                continue
            found.setdefault(" ".join(words).casefold(), []).append((n, start, end))
    named = [spans for spans in found.values() if len(spans) >= IMPLIED_MIN_TIMES]
    if not named:
        return None
    n, start, end = max(named, key=lambda spans: (len(spans), -spans[0][0], -spans[0][1]))[0]
    return n, " ".join(texts[n][start:end].split()), start, end


# --- spelling -----------------------------------------------------------------------------------------------


def spells(acronym: str, words: list[str]) -> bool:
    """Whether the words, in order, spell the acronym with word initials and compound parts alone."""
    return spelling_score(acronym, words, strict=True) is not None


def spelling_score(acronym: str, words: list[str], *, strict: bool = False) -> float | None:
    """How well `words` spell `acronym`: the mean credit per letter (1 for a word initial, less for a
    compound part's), minus a cost per content word left out; None if they cannot spell it at all.

    Each word gives its initial and then, optionally, initials of its later compound parts; small words
    (i, och, för) may give nothing; "plus" gives the "+" of ESF+. `strict` allows no letters from inside
    unsplit words and no left-out content words.
    """
    letters = tuple(c for c in acronym.casefold() if c.isalpha() or c == "+")
    cleaned = tuple(w.strip(",.;:()\"'”“").casefold() for w in words)
    if not letters or not cleaned or not cleaned[0] or cleaned[0] in SMALL_WORDS or cleaned[0] in STOP_WORDS:
        return None
    # The first word must give the first letter: an expansion starts where the acronym does.
    total = _give(letters, cleaned[0], cleaned[1:], strict)
    return None if total is None else total / len(letters)


@lru_cache(maxsize=65536)
def _spell(letters: tuple[str, ...], words: tuple[str, ...], strict: bool) -> float | None:
    """Best total credit for spelling `letters` with all of `words`, in order (None: impossible)."""
    if not words:
        return 0.0 if not letters else None
    word, rest = words[0], words[1:]
    options: list[float] = []
    if not word[:1].isalpha() or word in SMALL_WORDS or not strict:
        # The word gives no letter: free for small words and punctuation, a cost for content words.
        skip = _spell(letters, rest, strict)
        if skip is not None:
            options.append(skip - (0.0 if word in SMALL_WORDS or not word[:1].isalpha() else SKIPPED))
    given = _give(letters, word, rest, strict)
    if given is not None:
        options.append(given)
    return max(options, default=None)


def _give(letters: tuple[str, ...], word: str, rest: tuple[str, ...], strict: bool) -> float | None:
    """Best total credit when `word` gives the first letter (and maybe more) and `rest` the others."""
    if not letters or not (word == "plus" if letters[0] == "+" else word[:1] == letters[0]):
        return None
    options = []
    for credit, used in _word_spellings(word, letters[1:], strict):
        after = _spell(letters[1 + used :], rest, strict)
        if after is not None:
            options.append(WORD + credit + after)
    return max(options, default=None)


def _word_spellings(word: str, letters: tuple[str, ...], strict: bool) -> list[tuple[float, int]]:
    """After a word's initial: (credit, letters used) for each run of its later initials it can give."""
    spellings = [(0.0, 0)]
    starts = _part_starts(word)
    credit_each = PART
    if not starts and not strict and len(word) >= 8:
        starts, credit_each = _syllable_starts(word), INNER
    credit, pos, used = 0.0, 0, 0
    for letter in letters:
        nxt = next((s for s in starts if s > pos and word[s] == letter), None)
        if nxt is None:
            break
        credit, pos, used = credit + credit_each, nxt, used + 1
        spellings.append((credit, used))
    return spellings


@lru_cache(maxsize=16384)
def _part_starts(word: str) -> tuple[int, ...]:
    """Where a word's later parts start: after hyphens (ESF-rådet), and compound parts (samhälls|omställning)."""
    starts = [m.end() for m in re.finditer(r"-(?=\w)", word)]
    for piece_start, piece in _pieces(word):
        parts = decompound(piece) if piece.isalpha() else ()
        pos = 0
        for part in parts[1:]:
            found = piece.find(part[:3], pos + 2)
            if found < 0:
                break
            starts.append(piece_start + found)
            pos = found
    return tuple(sorted(set(starts)))


def _pieces(word: str) -> Iterator[tuple[int, str]]:
    return ((m.start(), m.group()) for m in re.finditer(r"[^-]+", word))


def _syllable_starts(word: str) -> tuple[int, ...]:
    """For a one-word name the decompounder does not know (Nordkalottrådet): any letter with three on each side."""
    return tuple(range(3, len(word) - 2)) if word.isalpha() else ()
