"""Swedish compounds: the parts of a compound word, and how likely an unlisted word is as one.

Swedish writes compounds as one word (kompetensförsörjningsrådet), so no word list holds them all. Both
questions asked about them here read a compound the same way, as modifiers (possibly with a linking
letter: hållbarhet-s-arbete, samhälle → samhälls-, skola → skol-) followed by a head that may be inflected,
and both look the parts up in the one lexicon (`ingest.swedish.lexicon`):

* `decompound` — the parts of a compound as lexicon words, for the search index. Following Koehn & Knight
  (2003), a word is split into the fewest known parts, and only when the parts are on average more frequent
  than the word itself; words common enough to be units of their own (Norrbotten, arbetsmarknad) are never
  split, so arbetsmarknadsstrategi is indexed as arbetsmarknad + strategi, not arbete + marknad + strategi.
* `segment` — how likely a string missing from the list is as Swedish, for the repair of damaged text:
  scored as dictionary parts plus at most one unknown stretch (a name, a typo, an unlisted ending). All
  scores are log10 probabilities; a compound scores as the product of its parts (as the same words side by
  side would) minus a cost per extra part, so gluing two good words together never beats leaving them apart.

The two are tuned for their task: the index wants only sure splits into common parts (four letters or
more), the repair wants a score for any string, so it accepts shorter parts at a cost.
"""

from __future__ import annotations

import math
from functools import lru_cache

from ingest.swedish.lexicon import STOP_WORDS, frequencies, lexicon

# --- parts for the index -------------------------------------------------------------------------------------

# Linking letters between compound parts: hållbarhet-s-arbete, samhälle → samhälls-, barn-a-omsorg.
LINKS = "seauo"
# Parts are at least this long: shorter strings (hus, för) match inside ordinary words by chance.
MIN_PART = 4
# ...but a linking letter may leave a common three-letter word as the part (läns → län, not deve → dev).
MIN_ZIPF_SHORT_LEMMA = 4.0
# A word at least this frequent is a unit of its own (Norrbotten, arbetsmarknad): never split.
MAX_ZIPF_TO_SPLIT = 3.5
MAX_PARTS = 3
# Swedish inflectional endings, and derivational suffixes that may precede them (halv-ering-ar).
_INFLECTIONS = """a e n t s r en et na ar er or ad at as es ns ts de te ade ades ats ande ende are ast
    aste arna erna orna ens ets ers ars ors arnas ernas ornas""".split()
_DERIVATIONS = "ing ning ering het else isk ig lig era er ser".split()
# ending → True when it is inflectional only (the word is a form of its base, not a new word).
_ENDINGS = {d + i: False for d in _DERIVATIONS for i in ["", *_INFLECTIONS]}
_ENDINGS |= dict.fromkeys(_INFLECTIONS, True)
_LONGEST_ENDING = max(map(len, _ENDINGS))
# Derivational endings that wordfreq also lists as words (ande, ning, skap): never a compound part.
NOT_PARTS = frozenset(
    """
    ande andet ende ning ningen ningar ningarna ingen ingar ingarna heten heter skap skapet ella elle
    rade else liga ligt lighet iska iskt aren arna erna erat erats tion tioner sion itet ism ist isten
    """.split()
)


# A segmentation: (number of parts, -(sum of part Zipfs), lemmas); smaller tuples are better.
_Split = tuple[int, float, tuple[str, ...]]


@lru_cache(maxsize=200_000)
def decompound(word: str) -> tuple[str, ...]:
    """The parts of a compound as lexicon words (kompetensförsörjningen → kompetens, försörjning);
    () when the word is not a compound or is common enough to be a unit of its own."""
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return ()
    bases = _bases(word)
    inflected = [lemma for lemma, _, only_inflected in bases if only_inflected]
    if inflected:
        # An inflected form is a compound exactly when its base form is (pandemin is not panda|emin).
        return decompound(max(inflected, key=len))
    whole = lexicon().zipf(word)
    if whole >= MAX_ZIPF_TO_SPLIT:
        return ()
    split = _best_split(word, 0, whole_allowed=False)
    # Koehn & Knight: split only when the parts are on average more frequent than the whole word.
    if split is None or -split[1] / split[0] <= whole:
        return ()
    # A "head" that is only an ending of a known word is no part: analys|erats, fotograf|ering.
    head_start = len(word) - len(split[2][-1])
    if any(head_start >= length for _, length, _ in bases):
        return ()
    return split[2]


@lru_cache(maxsize=200_000)
def _bases(word: str) -> tuple[tuple[str, int, bool], ...]:
    """Shorter known words this word may inflect or derive from: (lemma, length of the part they share,
    whether only an inflectional ending separates them)."""
    words = lexicon().words
    found = []
    for size in range(1, min(_LONGEST_ENDING, len(word) - MIN_PART) + 1):
        ending, shared = word[-size:], word[:-size]
        only_inflected = _ENDINGS.get(ending)
        if only_inflected is None:
            continue
        for lemma in (shared, shared + "a", shared + "e"):
            if len(lemma) < len(word) and lemma in words:
                found.append((lemma, len(shared), only_inflected))
    return tuple(found)


@lru_cache(maxsize=200_000)
def _best_split(word: str, start: int, whole_allowed: bool = True) -> _Split | None:
    """Fewest parts covering word[start:], then the most frequent ones; None if there is no cover.

    The last part (the head) may be inflected; the others are modifiers, possibly with a linking letter.
    """
    best: _Split | None = None
    head = word[start:]
    if whole_allowed and _part_ok(head):
        best = (1, -lexicon().zipf(head), (head,))
    for end in range(start + MIN_PART, len(word) - MIN_PART + 1):
        zipf, lemma = _modifier(word[start:end])
        rest = _best_split(word, end) if zipf else None
        if rest is None or rest[0] + 1 > MAX_PARTS:
            continue
        candidate = (rest[0] + 1, rest[1] - zipf, (lemma, *rest[2]))
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return best


def _part_ok(part: str) -> bool:
    return part not in NOT_PARTS and part not in STOP_WORDS and lexicon().zipf(part) > 0


@lru_cache(maxsize=200_000)
def _modifier(piece: str) -> tuple[float, str]:
    """(Zipf, lemma) of a first or middle compound part, allowing a linking morpheme; (0, "") if none.

    Forms tried in order: the piece itself (kompetens), without a linking letter (hållbarhet|s), a word
    whose final e gives way to s (samhälle → samhälls), a word missing its final vowel (skola → skol).
    """
    words = lexicon().words
    candidates = [piece]
    if piece[-1] in LINKS:
        candidates.append(piece[:-1])
    if piece.endswith("s"):
        candidates.append(piece[:-1] + "e")
    candidates += [piece + "a", piece + "e"]
    for lemma in candidates:
        zipf = words.get(lemma, 0.0)
        if zipf and lemma not in NOT_PARTS and lemma not in STOP_WORDS:
            if len(lemma) >= MIN_PART or zipf >= MIN_ZIPF_SHORT_LEMMA:
                return zipf, lemma
    return 0.0, ""


# --- likelihood of an unlisted word, for the repair --------------------------------------------------------

UNKNOWN_BASE = -8.0
UNKNOWN_PER_LETTER = -2.5
PART_LOGP = -7.0  # a part must be a dictionary word of some frequency (zipf 2)...
SHORT_PART_COST = 2.0  # ...a three-letter one is suspect: the list holds debris like "gar", "fo"
LONG_PART = 8  # ...while a long one may be rare: debris is short
COMPOUND_COST = 1.0  # per extra part
SEGMENT_MIN_PART = 3
SEGMENT_MAX_PARTS = 2  # on each side of the unknown stretch


@lru_cache(maxsize=1)
def head_frequencies() -> dict[str, float]:
    """The list plus its words ending in -a/-e without it, as compound heads use them ("skol-")."""
    freqs = frequencies()
    heads = dict(freqs)
    for word, freq in freqs.items():
        if word[-1] in "ae" and len(word) > SEGMENT_MIN_PART and freq > heads.get(word[:-1], 0.0):
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
    return _part_logp(form, frequencies().get(form, 0.0))


def _part_logp(form: str, freq: float) -> float | None:
    if freq <= 0.0 or len(form) < SEGMENT_MIN_PART:
        return None
    logp = math.log10(freq)
    if len(form) >= LONG_PART:
        return logp
    if logp < PART_LOGP:
        return None
    return logp - SHORT_PART_COST if len(form) == SEGMENT_MIN_PART else logp


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
    for start in range(n - SEGMENT_MIN_PART):
        if start not in reach or reach[start][1] >= SEGMENT_MAX_PARTS:
            continue
        score, used = reach[start]
        for end in range(start + SEGMENT_MIN_PART, n):
            part = head_logp(word[start:end])
            if part is not None and (end not in reach or score + part > reach[end][0]):
                reach[end] = (score + part, used + 1)
    return reach


def _backward(word: str) -> dict[int, tuple[float, int]]:
    """Suffixes of `word` that split into known parts, the last a final one (n -> the empty suffix)."""
    n = len(word)
    reach: dict[int, tuple[float, int]] = {n: (0.0, 0)}
    for end in range(n, SEGMENT_MIN_PART - 1, -1):
        if end not in reach or reach[end][1] >= SEGMENT_MAX_PARTS:
            continue
        score, used = reach[end]
        for start in range(end - SEGMENT_MIN_PART, -1, -1):
            piece = word[start:end]
            part = final_logp(piece) if end == n else head_logp(piece)
            if part is not None and (start not in reach or score + part > reach[start][0]):
                reach[start] = (score + part, used + 1)
    return reach
