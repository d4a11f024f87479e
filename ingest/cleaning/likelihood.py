"""How likely a string is as a Swedish word in this document: frequencies, compounds, vocabulary, context.

The repair (`ingest.cleaning.repair`) weighs candidate readings of damaged text with a `WordLikelihood` per
document: the Swedish lexicon's frequencies, compounds scored part by part (`ingest.swedish.compounds`), the
words the document itself spells intact, and a few context cues.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

from ingest.swedish.compounds import segment, unknown_logp
from ingest.swedish.lexicon import frequencies, snowball
from ingest.swedish.patterns import LETTERS

# A word that occurs intact (with its diacritics) elsewhere in the document is strong evidence;
# one that shares its stem with such a word ("länen" beside "länets") is weaker evidence.
DOC_VOCAB_FLOOR = -6.0
DOC_VOCAB_BOOST = 1.0
DOC_STEM_BOOST = 0.5
CONTEXT_BONUS = 2.5

ACCENTS = "äåöé"


# Left-hand words after which a detached "a r" is the noun "år" (year), not the verb "är":
# numerals, quantifiers and time determiners ("tidigare år", "två år", "i år", "per år").
_YEAR_CUES = frozenset(
    "i per varje vart detta samma nästa förra föregående tidigare senaste kommande innevarande "
    "ett två tre fyra fem sex sju åtta nio tio elva tolv femton tjugo trettio några många flera "
    "halvt varannat vartannat ytterligare".split()
)
# Words after a place name: an Å-initial name before them keeps its Å ("Ånge kommun", "Åre kommun").
_PLACE_NOUNS = frozenset({"kommun", "kommuns", "kommunen", "stad", "tätort", "socken", "församling"})
# Formal reports say "årlig" (yearly) and "vägar" (roads) far more often than the web and subtitle
# text behind wordfreq, where "ärlig" (honest) and "vågar" (dares) dominate: shift them up.
_REGISTER_SHIFT = {w: 1.8 for w in ("årlig", "årliga", "årligt", "årligen", "vägar")}


@lru_cache(maxsize=1)
def accent_contexts() -> dict[tuple[str, str], Counter]:
    """For unknown words: which accented letter the list has between two letters on each side."""
    table: dict[tuple[str, str], Counter] = {}
    for word, freq in frequencies().items():
        if freq < 1e-7 or not any(ch in ACCENTS for ch in word):
            continue
        padded = f"^{word}$"
        for i, ch in enumerate(padded):
            if ch in ACCENTS:
                key = (padded[max(i - 2, 0) : i], padded[i + 1 : i + 3])
                table.setdefault(key, Counter())[ch] += 1
    return table


class WordLikelihood:
    """Scores candidate words; one instance per document (it carries the document's vocabulary)."""

    def __init__(self, doc_vocab: frozenset[str] = frozenset()) -> None:
        self.freqs = frequencies()
        self.doc_vocab = doc_vocab
        self.doc_stems = frozenset(snowball(word) for word in doc_vocab)
        self._cache: dict[str, tuple[float, bool]] = {}

    @classmethod
    def for_document(cls, text: str) -> WordLikelihood:
        """Likelihoods boosted by the words that occur intact, with their diacritics, in `text`."""
        # Only lowercase letters count: some fonts draw every capital A as Å (Årbetet, LKÅB).
        vocab = {w.casefold() for w in LETTERS.findall(text) if any(ch in ACCENTS for ch in w)}
        return cls(frozenset(vocab))

    def logp(self, word: str) -> float:
        """log10 probability of `word` (case-insensitive) as a Swedish word."""
        return self._lookup(word)[0]

    def known(self, word: str) -> bool:
        """True if `word` is a dictionary word or a compound of dictionary words."""
        return self._lookup(word)[1]

    def context_bonus(self, previous: str, word: str, following: str = "") -> float:
        """Extra log10 weight for `word` given its neighbours (only a few ambiguous cases)."""
        if word[:1] == "Å" and following.casefold() in _PLACE_NOUNS:
            return CONTEXT_BONUS  # "Ånge kommun" is a place, even where a font draws A as Å
        if word.casefold() != "år" or not previous:
            return 0.0
        prev = previous.casefold()
        if prev in _YEAR_CUES or (prev.isdigit() and int(prev) < 1000):
            return CONTEXT_BONUS
        return 0.0

    def _lookup(self, word: str) -> tuple[float, bool]:
        key = word.casefold()
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._score(key)
        return cached

    def _score(self, word: str) -> tuple[float, bool]:
        """(log10 probability, whether it is a dictionary word or a full compound)."""
        freq = self.freqs.get(word)
        if freq:
            score, known = math.log10(freq), True
        else:
            score, known = segment(word) or (unknown_logp(len(word)) + _accent_plausibility(word), False)
        score += _REGISTER_SHIFT.get(word, 0.0)
        if word in self.doc_vocab:
            score = max(score, DOC_VOCAB_FLOOR) + DOC_VOCAB_BOOST
        elif any(ch in ACCENTS for ch in word) and snowball(word) in self.doc_stems:
            score += DOC_STEM_BOOST
        return score, known


def _accent_plausibility(word: str) -> float:
    """log10 share of the accented letters' neighbourhoods among the list's words (0 if none)."""
    if not any(ch in ACCENTS for ch in word):
        return 0.0
    table = accent_contexts()
    padded = f"^{word}$"
    total = 0.0
    for i, ch in enumerate(padded):
        if ch in ACCENTS:
            counts = table.get((padded[max(i - 2, 0) : i], padded[i + 1 : i + 3]))
            seen, all_seen = (counts[ch], sum(counts.values())) if counts else (0, 0)
            total += math.log10((seen + 0.5) / (all_seen + 1.0))
    return total
