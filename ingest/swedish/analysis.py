"""The Swedish analyser: text → tokens → stop words out → stems, compounds also indexed by their parts.

Documents (`analyze`) and queries (`analyze_query`) go through the same chain, so they meet on the same
terms. A change here that alters the terms must bump `ANALYZER_VERSION`: stored BM25 indexes then refuse
to load until they are rebuilt.

Decompounding follows Koehn & Knight (2003): a word is split into the fewest known parts, and only when
the parts are on average more frequent than the word itself; the lexicon is wordfreq's Swedish list.
Words common enough to be units of their own (Norrbotten, arbetsmarknad) are never split, so
arbetsmarknadsstrategi is indexed as arbetsmarknad + strategi, not arbete + marknad + strategi.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
import wordfreq

ANALYZER_VERSION = 1

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

# Words that carry no topic in a question ("Hur många kommuner finns …?"): dropped by `content_terms` only.
QUESTION_FILLER = frozenset(
    "många mycket finns fanns gäller heter hette ligger låg stämmer kallas betyder innebär menas".split()
)

# Characters that split words invisibly when left in (soft hyphen, zero-width space/joiners, BOM).
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

# A number with its inner separators kept ("1:1", "112,5", "3.2"), or a run of letters/digits.
# "EU:s", "HSO:n" are an acronym plus a colon-attached Swedish inflection: only the group is kept.
_TOKEN = re.compile(r"(\d+(?:[:.,]\d+)*|\w+)(?::[^\W\d_]{1,3}\b)?")

# Lexicon: wordfreq's Swedish list down to this Zipf frequency (≈ 3 per 10 million words).
LEXICON_MIN_ZIPF = 2.5
# The Swedish list holds English words (board, time, out); one clearly more common in English is dropped.
ENGLISH_MARGIN = 1.0
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


def normalize(text: str) -> str:
    """NFC, with invisible break characters removed (they would split words)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def tokenize(text: str) -> list[str]:
    """Case-folded word and number tokens; hyphens, dashes and punctuation separate tokens."""
    return [t for t in _TOKEN.findall(normalize(text).casefold()) if len(t) > 1 or t.isdigit()]


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


@dataclass(frozen=True)
class Lexicon:
    """Swedish word frequencies (Zipf), by surface form and by stem."""

    words: dict[str, float]
    stems: dict[str, float]

    def zipf(self, word: str) -> float:
        """Zipf frequency of a word counting all its inflections (0 when unknown)."""
        stem = _snowball(word)
        # A stem shorter than a part (kat, tim) is shared by too many unrelated words to vouch for one.
        by_stem = self.stems.get(stem, 0.0) if len(stem) >= MIN_PART else 0.0
        return max(self.words.get(word, 0.0), by_stem)


def _zipf_table(lang: str, min_zipf: float) -> dict[str, float]:
    """word → Zipf from wordfreq's buckets, which are 0.01 Zipf apart, most frequent first."""
    table: dict[str, float] = {}
    buckets = wordfreq.get_frequency_list(lang, "best")
    for i, bucket in enumerate(buckets[: round((9.0 - min_zipf) * 100) + 1]):
        for word in bucket:
            table.setdefault(word, 9.0 - i / 100)
    return table


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Build the lexicon once (~0.3 s): alphabetic Swedish words of three letters or more."""
    english = _zipf_table("en", LEXICON_MIN_ZIPF + ENGLISH_MARGIN)
    words = {
        word: zipf
        for word, zipf in _zipf_table("sv", LEXICON_MIN_ZIPF).items()
        if len(word) >= 3 and word.isalpha() and english.get(word, 0.0) <= zipf + ENGLISH_MARGIN
    }
    stems: dict[str, float] = {}
    for word, stem in zip(words, _stemmer().stemWords(list(words))):
        stems.setdefault(stem, words[word])
    return Lexicon(words, stems)


@lru_cache(maxsize=200_000)
def _snowball(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball Swedish, helped by the lexicon where Snowball leaves forms apart.

    Snowball keeps definite neuter forms whole (projektet ≠ projekt) and strips a final -s that belongs
    to the word (kompetens → kompet, but kompetensen → kompetens); a definite ending whose remainder
    is a common word is removed first, and stemming is repeated once so both forms of -s words meet.
    """
    base = _strip_definite(token)
    once = _snowball(base)
    return _snowball(once) if once != base else once


# Definite (and genitive) endings Snowball misses, with the letters the base must end in ("" = any).
_DEFINITE_ENDINGS = (
    ("ets", ""), ("et", ""), ("ts", "e"), ("t", "e"), ("ns", "iouyöåé"), ("n", "iouyöåé"),
)


def _strip_definite(token: str) -> str:
    """projektet → projekt, samhället → samhälle, strategin → strategi, when the base is common."""
    words = lexicon().words
    own = words.get(token, 0.0)
    for ending, base_ends in _DEFINITE_ENDINGS:
        base = token[: -len(ending)]
        if (
            token.endswith(ending)
            and len(base) >= MIN_PART
            and (not base_ends or base[-1] in base_ends)
            # internet ≠ intern: a definite form is rarer than its base, or about as common.
            and words.get(base, 0.0) >= max(3.0, own - 0.5)
        ):
            return base
    return token


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
