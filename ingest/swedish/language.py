"""The language a text is written in: a question, a document, or a passage of a document (one detector).

langdetect alone is unreliable on the short questions people type ("Vem äger SAM?" comes out German,
"Vad kostar projektet?" Croatian) and mixes up Swedish, Norwegian and Danish even on longer ones. Short
questions are therefore decided by their function words and special letters, and names (HSO, North
Sweden Green Deal) count as no evidence at all: a question made only of names is taken to be Swedish,
the language of the documents.

A passage of a document is read with the document's language as its prior: a short or name-heavy passage
keeps it, and so does any passage to which langdetect gives it a real chance.
"""

from __future__ import annotations

import re
import unicodedata

from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

# langdetect samples at random; a fixed seed makes the same question always get the same answer.
DetectorFactory.seed = 0

DEFAULT = "sv"
# With this many words that are not names, langdetect's statistics are worth more than word lists.
LONG_TEXT_WORDS = 8
SCANDINAVIAN = ("sv", "no", "da")
TIE_PREFERENCE = ("sv", "en")

# Question and function words per language. A word listed under several languages counts for each
# with a share of one vote, so only words typical of one language decide.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "sv": """vad vem vems vilken vilket vilka när var varför hur är och för som det den de att en ett
            i på av med till från om finns fanns många mycket ska skulle kan kommer har hade inte eller
            också samt mellan under efter vid hos sig äger ägs slutar startar startade börjar pågår
            gäller kostar får gör betyder ingår deltar ligger stor""",
        "en": """what who whom whose which when where why how is are was were does do did the a an of
            and for to in on at with from by about many much there can could should will would has
            have had not or also own owns end ends start starts run runs cost costs take part""",
        "de": """was wer wen wem wessen welche welcher welches wann wo warum wie ist sind war waren der
            die das den dem des und für zu mit von bei über ein eine einer nicht oder gibt es auch im
            viele wieviel besitzt endet beginnt kostet""",
        "fi": """mikä mitkä mitä kuka ketkä kenen milloin missä mistä mihin miten kuinka miksi onko on
            ovat oli ja tai sekä ei paljonko montako""",
        "no": """hva hvem hvilken hvilket hvilke når hvor hvorfor hvordan er og for som det den de at en
            et i på av med til fra om finnes fins mange mye ikke eller eier slutter starter begynner
            koster deltar""",
        "da": """hvad hvem hvilken hvilket hvilke hvornår hvor hvorfor hvordan er og for som det den de
            at en et i på af med til fra om findes mange meget ikke eller ejer slutter starter begynder
            koster deltager""",
    }.items()
}

# Letters that rule languages out: a word written with them cannot be in a language lacking them.
_LETTER_LANGS = {
    "å": {"sv", "no", "da"},
    "ä": {"sv", "fi", "de"},
    "ö": {"sv", "fi", "de"},
    "æ": {"no", "da"},
    "ø": {"no", "da"},
    "ü": {"de"},
    "ß": {"de"},
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# Passages: with fewer words than this, a passage is in its document's language (its prior).
MIN_PASSAGE_WORDS = 8
# The prior stands while langdetect gives it at least this probability.
PRIOR_MIN_PROB = 0.1
# Function words Swedish has and Norwegian, Danish and English do not; ≥ 5% of the words in Swedish prose.
SWEDISH_ONLY_WORDS = frozenset("och att är för inte också från även eller samt detta där när vilket".split())
SWEDISH_SHARE = 0.05
_PASSAGE_TOKEN = re.compile(r"\w+")


def detect_language(text: str, *, prior: str | None = None) -> str:
    """The ISO 639-1 code of the language `text` is written in ("sv", "en", "de", "fi", "no", "da"…).

    Without a `prior` (a question), a text made only of names and acronyms ("HSO?", "North Sweden Green
    Deal") is Swedish. With one (a passage of a document in that language, or a document expected to be
    Swedish), the prior is kept for a passage too short to tell and whenever langdetect gives it a chance.
    """
    if prior is not None:
        return _passage_language(text, prior)
    words = _evidence_words(text)
    if not words:
        return DEFAULT
    if not any(_latin(ch) for word in words for ch in word):
        # Cyrillic, CJK, Hebrew…: none of the languages we answer in; say which it is if langdetect can.
        guesses = _langdetect(text)
        return max(guesses, key=guesses.__getitem__) if guesses else "und"
    allowed = _allowed_languages(words)
    scores = _function_word_scores(words, allowed)
    if len(words) >= LONG_TEXT_WORDS:
        guess = _long_text_guess(text, scores, allowed)
        if guess is not None:
            return guess
    best = max(scores.values(), default=0.0)
    if best == 0:
        return DEFAULT if DEFAULT in allowed else _langdetect_choice(text, allowed)
    tied = {lang for lang, score in scores.items() if score == best}
    return tied.pop() if len(tied) == 1 else _break_tie(text, tied)


def _passage_language(text: str, prior: str) -> str:
    """The language of a passage whose document is in `prior`: the prior unless langdetect rules it out."""
    tokens = _PASSAGE_TOKEN.findall(text.casefold())
    if len(tokens) < MIN_PASSAGE_WORDS:
        return prior
    # Fast path: langdetect costs 10–20 ms a passage; dense Swedish-only function words settle it.
    if sum(t in SWEDISH_ONLY_WORDS for t in tokens) >= SWEDISH_SHARE * len(tokens):
        return "sv"
    probabilities = _langdetect(text)
    if not probabilities or probabilities.get(prior, 0.0) >= PRIOR_MIN_PROB:
        return prior
    return max(probabilities, key=probabilities.__getitem__)


def _evidence_words(text: str) -> list[str]:
    """The words that say something about the language: acronyms (HSO) and multi-word names (North
    Sweden Green Deal, Region Västerbotten) are left out. A capitalised word inside the text keeps its
    capital, which marks it as a probable name (see `_allowed_languages`); the first word is lower-cased.
    """
    tokens = [t for t in _WORD.findall(text) if not (len(t) > 1 and t.isupper())]
    capitalised = [t[:1].isupper() for t in tokens]
    out = []
    for i, token in enumerate(tokens):
        in_name = capitalised[i] and ((i > 0 and capitalised[i - 1]) or (i + 1 < len(tokens) and capitalised[i + 1]))
        if not in_name:
            out.append(token.lower() if i == 0 else token)
    return out


def _allowed_languages(words: list[str]) -> set[str]:
    """Languages not ruled out by letters in lower-case words (Skellefteå says nothing of a question)."""
    allowed = set(FUNCTION_WORDS)
    for word in words:
        if word[:1].isupper():
            continue
        for letter, langs in _LETTER_LANGS.items():
            if letter in word:
                allowed &= langs
    # Contradictory letters (a foreign word inside a question): fall back to no constraint.
    return allowed or set(FUNCTION_WORDS)


def _function_word_scores(words: list[str], allowed: set[str]) -> dict[str, float]:
    """Votes per allowed language: each function word shares one vote among the languages listing it."""
    scores = dict.fromkeys(allowed, 0.0)
    for word in (w.lower() for w in words):
        langs = [lang for lang, vocab in FUNCTION_WORDS.items() if word in vocab]
        for lang in langs:
            if lang in scores:
                scores[lang] += 1 / len(langs)
    return scores


def _long_text_guess(text: str, scores: dict[str, float], allowed: set[str]) -> str | None:
    """langdetect's answer for a long text, with Swedish/Norwegian/Danish settled by function words;
    None when langdetect has no answer or one the letters rule out."""
    probabilities = _langdetect(text)
    if not probabilities:
        return None
    top = max(probabilities, key=probabilities.__getitem__)
    if top in FUNCTION_WORDS and top not in allowed:
        return None
    if top in SCANDINAVIAN:
        nordic = {lang: scores.get(lang, 0.0) for lang in SCANDINAVIAN}
        if max(nordic.values()) > 0:
            return max(nordic, key=lambda lang: (nordic[lang], probabilities.get(lang, 0.0)))
        return top
    # Function words overrule langdetect only when they are many and one-sided.
    best = max(scores, key=scores.__getitem__, default=None)
    if best is not None and best != top and scores[best] >= 3 and scores[best] >= 2 * scores.get(top, 0):
        return best
    return top


def _break_tie(text: str, tied: set[str]) -> str:
    """Swedish, else English, else langdetect's pick: a few shared words ("for", "i") are far more often
    Swedish or English here, and Norwegian or Danish questions usually have an hv- word that settles them.
    """
    for lang in TIE_PREFERENCE:
        if lang in tied:
            return lang
    return _langdetect_choice(text, tied)


def _langdetect_choice(text: str, candidates: set[str]) -> str:
    """The candidate langdetect finds most likely; the default (or any candidate) if it finds none."""
    probabilities = _langdetect(text)
    ranked = sorted(candidates, key=lambda lang: (-probabilities.get(lang, 0.0), lang != DEFAULT, lang))
    return ranked[0]


def _latin(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def load_profiles() -> None:
    """Load langdetect's language profiles now rather than at its first use (about half a second)."""
    init_factory()


def _langdetect(text: str) -> dict[str, float]:
    """langdetect's probabilities; empty when it finds no features (only digits or symbols)."""
    try:
        return {result.lang: result.prob for result in detect_langs(text)}
    except LangDetectException:
        return {}
