"""Swedish word frequencies and compounds: score a word as dictionary parts plus at most one unknown stretch.

Swedish compounds are endless (`kompetensförsörjningsrådet`), so a word missing from the
list is scored as the parts it splits into. All scores are log10 probabilities. A compound
scores as the product of its parts (as the same words side by side would) minus a cost per
extra part, so gluing two good words together never beats leaving them apart. An unknown
stretch (a name, a typo, an unlisted ending) costs per letter.
"""

from __future__ import annotations

import math
from functools import lru_cache

import wordfreq

UNKNOWN_BASE = -8.0
UNKNOWN_PER_LETTER = -2.5
PART_LOGP = -7.0  # a part must be a dictionary word of some frequency (zipf 2)...
SHORT_PART_COST = 2.0  # ...a three-letter one is suspect: the list holds debris like "gar", "fo"
LONG_PART = 8  # ...while a long one may be rare: debris is short
COMPOUND_COST = 1.0  # per extra part
MIN_PART = 3
MAX_PARTS = 2  # on each side of the unknown stretch


@lru_cache(maxsize=1)
def swedish_frequencies() -> dict[str, float]:
    """wordfreq's large Swedish list, word -> relative frequency (loaded once per process)."""
    return wordfreq.get_frequency_dict("sv", wordlist="large")


@lru_cache(maxsize=1)
def head_frequencies() -> dict[str, float]:
    """The list plus its words ending in -a/-e without it, as compound heads use them ("skol-")."""
    freqs = swedish_frequencies()
    heads = dict(freqs)
    for word, freq in freqs.items():
        if word[-1] in "ae" and len(word) > MIN_PART and freq > heads.get(word[:-1], 0.0):
            heads[word[:-1]] = freq
    return heads


def unknown_logp(length: int) -> float:
    """log10 probability of an unknown letter string of this length."""
    return UNKNOWN_BASE + UNKNOWN_PER_LETTER * length


@lru_cache(maxsize=1 << 18)
def head_logp(form: str) -> float | None:
    """log10 frequency of `form` as a non-final part (linking -s-, dropped -a/-e allowed), or None."""
    heads = head_frequencies()
    freq = heads.get(form, 0.0)
    if form[-1] == "s":  # "företags-", "arbets-"
        freq = max(freq, heads.get(form[:-1], 0.0))
    return _part_logp(form, freq)


@lru_cache(maxsize=1 << 18)
def final_logp(form: str) -> float | None:
    """log10 frequency of `form` as the last part of a compound, or None."""
    return _part_logp(form, swedish_frequencies().get(form, 0.0))


def _part_logp(form: str, freq: float) -> float | None:
    if freq <= 0.0 or len(form) < MIN_PART:
        return None
    logp = math.log10(freq)
    if len(form) >= LONG_PART:
        return logp
    if logp < PART_LOGP:
        return None
    return logp - SHORT_PART_COST if len(form) == MIN_PART else logp


@lru_cache(maxsize=65536)
def segment(word: str) -> tuple[float, bool] | None:
    """Best (score, fully known) for `word` as parts around at most one unknown stretch.

    Fully known means a compound of two or more dictionary parts. None when no dictionary
    part of the word is found at all.
    """
    heads = _forward(word)  # i -> (score, parts) for word[:i] as known non-final parts
    tails = _backward(word)  # j -> (score, parts) for word[j:] as known parts ending in a final
    best: tuple[float, bool] | None = None
    for i, (head, head_parts) in heads.items():
        for j, (tail, tail_parts) in tails.items():
            if j < i or head_parts + tail_parts == 0:
                continue
            gap = j - i
            parts = head_parts + tail_parts + (gap > 0)
            if parts < 2:
                continue
            score = head + tail + (unknown_logp(gap) if gap else 0.0) - COMPOUND_COST * (parts - 1)
            if best is None or score > best[0]:
                best = (score, gap == 0)
    return best


def _forward(word: str) -> dict[int, tuple[float, int]]:
    """Prefixes of `word` that split into known non-final parts (0 -> the empty prefix)."""
    n = len(word)
    reach: dict[int, tuple[float, int]] = {0: (0.0, 0)}
    for start in range(n - MIN_PART):
        if start not in reach or reach[start][1] >= MAX_PARTS:
            continue
        score, used = reach[start]
        for end in range(start + MIN_PART, n):
            part = head_logp(word[start:end])
            if part is not None and (end not in reach or score + part > reach[end][0]):
                reach[end] = (score + part, used + 1)
    return reach


def _backward(word: str) -> dict[int, tuple[float, int]]:
    """Suffixes of `word` that split into known parts, the last a final one (n -> the empty suffix)."""
    n = len(word)
    reach: dict[int, tuple[float, int]] = {n: (0.0, 0)}
    for end in range(n, MIN_PART - 1, -1):
        if end not in reach or reach[end][1] >= MAX_PARTS:
            continue
        score, used = reach[end]
        for start in range(end - MIN_PART, -1, -1):
            piece = word[start:end]
            part = final_logp(piece) if end == n else head_logp(piece)
            if part is not None and (start not in reach or score + part > reach[start][0]):
                reach[start] = (score + part, used + 1)
    return reach
