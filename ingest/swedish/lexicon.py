"""The Swedish lexicon: one word-frequency list, read once per process, and one stemmer.

Everything that asks how common a Swedish word is, or what its stem is, asks here: the BM25 analyser
(`ingest.swedish.analysis`), the decompounder (`ingest.swedish.compounds`), the repair of PDF-damaged text
(`ingest.cleaning.repair`) and the assistant's reading of questions. The list is wordfreq's large Swedish
one; `frequencies()` gives it as relative frequencies, `lexicon()` the common part of it as Zipf values
(log10 of occurrences per billion words) by surface form and by stem.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
import wordfreq

WORDLIST = "large"
# The index lexicon: the Swedish list down to this Zipf frequency (≈ 3 per 10 million words).
LEXICON_MIN_ZIPF = 2.5
# The Swedish list holds English words (board, time, out); one clearly more common in English is dropped.
ENGLISH_MARGIN = 1.0
# An English word at least this common is one a reader knows as English.
ENGLISH_WORD_MIN_ZIPF = 3.0
# A stem shorter than this (kat, tim) is shared by too many unrelated words to vouch for one.
MIN_STEM = 4

# Snowball's Swedish stop list (snowballstem.org/algorithms/swedish/stop.txt).
STOP_WORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig
    du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när
    efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket sedan
    ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa några deras blir mina
    samma vilken er sådan vår blivit dess inom mellan sådant varför varje vilka ditt vem vilket sitta
    sådana vart dina vars vårt våra ert era vilkas
    """.split()
)


@lru_cache(maxsize=1)
def frequencies() -> dict[str, float]:
    """wordfreq's large Swedish list, word → relative frequency: read once per process, shared by all."""
    return wordfreq.get_frequency_dict("sv", wordlist=WORDLIST)


@dataclass(frozen=True)
class Lexicon:
    """The common Swedish words as Zipf frequencies, by surface form and by stem."""

    words: dict[str, float]
    stems: dict[str, float]

    def zipf(self, word: str) -> float:
        """Zipf frequency of a word counting all its inflections (0 when unknown)."""
        stem = snowball(word)
        by_stem = self.stems.get(stem, 0.0) if len(stem) >= MIN_STEM else 0.0
        return max(self.words.get(word, 0.0), by_stem)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Alphabetic Swedish words of three letters or more down to `LEXICON_MIN_ZIPF`, built once (~0.3 s)."""
    english = _english_zipf(LEXICON_MIN_ZIPF + ENGLISH_MARGIN)
    words = {
        word: zipf
        for word, zipf in _swedish_zipf(LEXICON_MIN_ZIPF).items()
        if len(word) >= 3 and word.isalpha() and english.get(word, 0.0) <= zipf + ENGLISH_MARGIN
    }
    stems: dict[str, float] = {}
    for word, stem in zip(words, _stemmer().stemWords(list(words)), strict=True):
        stems.setdefault(stem, words[word])
    return Lexicon(words, stems)


def _swedish_zipf(min_zipf: float) -> dict[str, float]:
    """word → Zipf for the Swedish list down to `min_zipf`, most frequent first.

    wordfreq stores words in buckets 1 centibel (0.01 Zipf) apart; a frequency is 10^(-bucket/100), so the
    bucket is recovered exactly and the Zipf value is 9 - bucket/100.
    """
    last = round((9.0 - min_zipf) * 100)
    table: dict[str, float] = {}
    for word, freq in frequencies().items():
        bucket = round(-100 * math.log10(freq))
        if bucket <= last:
            table[word] = 9.0 - bucket / 100
    return table


@lru_cache(maxsize=1)
def english_words() -> dict[str, float]:
    """The common English words (Zipf ≥ `ENGLISH_WORD_MIN_ZIPF`) → Zipf: to tell an English word from a Swedish one."""
    return _english_zipf(ENGLISH_WORD_MIN_ZIPF)


def zipf_sv(word: str) -> float:
    """The Zipf frequency of a word form in wordfreq's whole Swedish list (0 when it is not there)."""
    freq = frequencies().get(word, 0.0)
    return math.log10(freq) + 9.0 if freq else 0.0


def _english_zipf(min_zipf: float) -> dict[str, float]:
    """word → Zipf for the common part of wordfreq's English list (only to spot English words)."""
    table: dict[str, float] = {}
    buckets = wordfreq.get_frequency_list("en", "best")
    for i, bucket in enumerate(buckets[: round((9.0 - min_zipf) * 100) + 1]):
        for word in bucket:
            table.setdefault(word, 9.0 - i / 100)
    return table


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


@lru_cache(maxsize=200_000)
def snowball(word: str) -> str:
    """The Snowball Swedish stem of a lower-case word, as is."""
    return _stemmer().stemWord(word)


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball Swedish, helped by the lexicon where Snowball leaves forms apart.

    Snowball keeps definite neuter forms whole (projektet ≠ projekt) and strips a final -s that belongs
    to the word (kompetens → kompet, but kompetensen → kompetens); a definite ending whose remainder
    is a common word is removed first, and stemming is repeated once so both forms of -s words meet.
    """
    base = _strip_definite(token)
    once = snowball(base)
    return snowball(once) if once != base else once


# Definite (and genitive) endings Snowball misses, with the letters the base must end in ("" = any).
_DEFINITE_ENDINGS = (
    ("ets", ""),
    ("et", ""),
    ("ts", "e"),
    ("t", "e"),
    ("ns", "iouyöåé"),
    ("n", "iouyöåé"),
)


def _strip_definite(token: str) -> str:
    """projektet → projekt, samhället → samhälle, strategin → strategi, when the base is common."""
    words = lexicon().words
    own = words.get(token, 0.0)
    for ending, base_ends in _DEFINITE_ENDINGS:
        base = token[: -len(ending)]
        if (
            token.endswith(ending)
            and len(base) >= MIN_STEM
            and (not base_ends or base[-1] in base_ends)
            # internet ≠ intern: a definite form is rarer than its base, or about as common.
            and words.get(base, 0.0) >= max(3.0, own - 0.5)
        ):
            return base
    return token
