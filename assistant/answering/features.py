"""Answer candidates and what the scorer knows about each: features that carry across wording and documents.

Every unit of the top passages — a sentence, a list item, a table line, a heading (`split_sentences`) — is a
`Candidate`. Its features say, each on a small scale:

- how much of the question it holds: the question's words (stems, compound parts and word-family roots,
  "äger" ~ "projektägare"; each weighted by how rare it is in Swedish) found in the sentence (`lex`), in the
  sentence or its context — the paragraph before it, a list's lead-in, the headings, the title (`lex_ctx`) —
  and weighted by rarity among the candidates (`lex_local`); with how far each is from the best candidate's
  (`*_gap`) and its rank (`*_rank`);
- how closely it follows the question's wording: the share of the question's word pairs it holds as pairs
  (`bigrams`), its longest run of the question's words in the question's order (`phrase`), and the share of the
  question's function words it holds (`function_words`) — a question is often its answering sentence with the
  answer replaced by a question word ("Vad ska kravprofilen matchas mot?" ~ "Kravprofilen ska sedan matchas
  mot lämpliga kandidater."), so word order and small words tell it from a sentence that shares only the topic;
- how close it is in meaning: the e5 similarity of question and sentence (`e5`, `e5_gap`, `e5_rank`), from
  the sentence vectors ingest stores with each chunk (`ingest.indexing.unit_vectors`);
- whether it holds the kind of value asked for (`match_<kind>` for an amount, a date, a count …; `want_missing`
  when the question wants a value and the sentence holds none of it; `match_edge` when it states the start or
  the end of a period that a when-question asks for);
- whether it says something beyond the question (`novel`: its words that are not the question's);
- how closely it is tied to the question's subjects (`subject`, `subject_ok`; `assistant.answering.subjects`);
- where it comes from: its passage's fused retrieval score, rank and dense similarity; its place in the
  passage; its form (heading, list item, lead-in ending in ":", length; a question or a form's
  instruction, which asks rather than answers: `asks`).

No feature names a particular document, project or question: the weights that combine them are learned
(`assistant.answering.scorer`, trained by `python -m evals.train_answerer`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise

import numpy as np

from assistant.answer import Passage
from assistant.answering.questions import Question
from assistant.answering.subjects import SUBJECT_GATE, SubjectTies
from assistant.answering.values import VALUE_KINDS, holds, period_in
from ingest.indexing.unit_vectors import unpack
from ingest.swedish.analysis import terms_of, tokenize
from ingest.swedish.lexicon import STOP_WORDS, stem
from ingest.swedish.sentences import Sentence, split_sentences

FEATURES: tuple[str, ...] = (
    "lex",
    "lex_gap",
    "lex_rank",
    "lex_ctx",
    "lex_ctx_gap",
    "lex_ctx_rank",
    "lex_local",
    "lex_topic",
    "topic_ctx",
    "fuzzy",
    "fuzzy_ctx",
    "prev_lex",
    "next_lex",
    "anaphor",
    "prev_lex_anaphor",
    "lex_novel",
    "bigrams",
    "phrase",
    "function_words",
    "e5",
    "e5_gap",
    "e5_rank",
    "prev_e5",
    "prev_e5_anaphor",
    *(f"match_{kind}" for kind in VALUE_KINDS),
    "want_missing",
    "match_edge",
    "novel",
    "length",
    "short",
    "heading",
    "title_like",
    "asks",
    "item",
    "line",
    "lead_in",
    "list_item",
    "list_lead_in",
    "list_topic",
    "overview_first",
    "overview_purpose",
    "subject",
    "subject_ok",
    "passage_score",
    "passage_rank",
    "passage_dense",
    "position",
    "first",
)
# The least letter-trigram similarity (Dice) that counts a word as another form of a question word.
FUZZY_MIN = 0.5
# A sentence opening that refers back to the sentence before it.
_ANAPHOR = re.compile(
    r"(?:De|Det|Den|Dessa|Detta|Denna|Han|Hon|Man|Där|Då|Här|Sådana|Sådan|Därför|Dessutom|Även|Också|Vidare|"
    r"Genom|Exempelvis|Till exempel|They|It|This|These|There)\b"
)
# A unit that asks rather than tells: a question, or a form's instruction ("Beskriv i punktform hur …").
_ASKS = re.compile(
    r".*\?\s*$|(?:Beskriv|Ange|Redogör|Motivera|Förklara|Fyll i|Bifoga|Lista|Describe|State|Explain|List)\b"
)
# Words with which a text says what something is for or about.
_PURPOSE = re.compile(
    r"\b(?:syft(?:e|et|ar|ade)|mål(?:et|en)?|målsättning\w*|handlar om|arbetar med|fokuserar|inriktning\w*|"
    r"ska bidra|för att|aims?|purpose|goal)\b",
    re.IGNORECASE,
)
# A compound part found alone counts this much of the whole word ("försörjning" for "kompetensförsörjning").
PART_CREDIT = 0.7
# A word found only in another form the stemmer did not join ("godkänt" ~ "godkänd") counts this much.
VARIANT_CREDIT = 0.8


@dataclass
class Candidate:
    """One unit of a passage, with its features and (once scored) the scorer's score."""

    passage: Passage
    unit: Sentence
    index: int  # the unit's place among its passage's units
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.unit.text

    @property
    def title_like(self) -> bool:
        """Whether the unit only repeats its document's title or headings (a running title, a caption)."""
        own = set(_plain_words(self.text))
        named = set(_plain_words(" ".join((self.passage.chunk.meta.title, *self.passage.chunk.heading_path))))
        return bool(own) and len(own - named) <= max(1, len(own) // 5)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.passage.chunk.id, self.unit.start, self.unit.end)

    def vector(self) -> np.ndarray:
        return np.array([self.features.get(name, 0.0) for name in FEATURES])


def build_candidates(
    question: Question,
    passages: Sequence[Passage],
    *,
    query_vector: np.ndarray | None = None,
) -> list[Candidate]:
    """Every unit of `passages` as a Candidate with its features (see the module docstring)."""
    candidates = [Candidate(p, unit, i) for p in passages for i, unit in enumerate(split_sentences(p.text))]
    if not candidates:
        return []
    ties = SubjectTies(question, list(passages))
    _words(question, candidates)
    _phrasing(question, candidates)
    for c in candidates:
        _form(c, question, ties)
    _meaning(candidates, query_vector)
    _neighbours(candidates)
    for name in ("lex", "lex_ctx", "e5"):
        _relative(candidates, name)
    return candidates


def _words(question: Question, candidates: list[Candidate]) -> None:
    """The lexical features: the question's words found in each unit and in its context."""
    groups, weights = question.words, question.weights
    subject_terms = {t for s in question.subjects for token in s for t in terms_of(token)}
    topic = [(g, w) for g, w in zip(groups, weights, strict=True) if g[0] not in subject_terms]
    unit_terms = [_terms(c.text) for c in candidates]
    n = len(candidates)
    local = [math.log(1 + n / (1 + sum(g[0] in terms for terms in unit_terms))) for g in groups]
    total, local_total = sum(weights) or 1.0, sum(local) or 1.0
    topic_total = sum(w for _, w in topic) or 1.0
    contexts = [terms | _terms(_context_text(c)) for c, terms in zip(candidates, unit_terms, strict=True)]
    forms = _Forms(groups, frozenset().union(*contexts))
    _found, _nearest_form = forms.found, forms.nearest
    for c, terms, context in zip(candidates, unit_terms, contexts, strict=True):
        found = [_found(g, terms) for g in groups]
        f = c.features
        f["lex"] = sum(w * x for w, x in zip(weights, found, strict=True)) / total
        in_context = [max(x, _found(g, context)) for x, g in zip(found, groups, strict=True)]
        f["lex_ctx"] = sum(w * x for w, x in zip(weights, in_context, strict=True)) / total
        f["lex_local"] = sum(w * x for w, x in zip(local, found, strict=True)) / local_total
        f["lex_topic"] = sum(w * _found(g, terms) for g, w in topic) / topic_total if topic else f["lex"]
        # What the question asks about besides its subjects, in the unit or its context, other word forms counted
        # ("partners" ~ a list under "Parter i projektet:").
        f["topic_ctx"] = (
            sum(w * max(_found(g, context), _nearest_form(g[0], context)) for g, w in topic) / topic_total
            if topic
            else f["lex_ctx"]
        )
        f["novel"] = _novelty(c.text, groups)
        missed = [(g[0], w) for g, w, x in zip(groups, weights, found, strict=True) if x < 1.0]
        f["fuzzy"] = sum(w * _nearest_form(stem, terms) for stem, w in missed) / total
        f["fuzzy_ctx"] = sum(w * _nearest_form(stem, context) for stem, w in missed) / total


def _phrasing(question: Question, candidates: list[Candidate]) -> None:
    """How closely each unit follows the question's wording: shared word pairs, the longest shared run of
    words, shared function words (stop words count here: "ska … mot" places the answer)."""
    asked = _sequence(question.text)
    pairs = set(pairwise(asked))
    small = {t for t in asked if t in STOP_WORDS}
    for c in candidates:
        own = _sequence(c.text)
        f = c.features
        f["bigrams"] = len(pairs & set(pairwise(own))) / max(1, len(pairs))
        f["phrase"] = _longest_run(asked, own) / max(1, len(asked))
        f["function_words"] = len(small & set(own)) / max(1, len(small))


def _sequence(text: str) -> list[str]:
    """A text's words in order, stemmed, stop words kept as they are."""
    return [t if t in STOP_WORDS else stem(t) for t in tokenize(text)]


def _longest_run(a: list[str], b: list[str]) -> int:
    """The length of the longest run of words that `a` and `b` share in the same order."""
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _form(c: Candidate, question: Question, ties: SubjectTies) -> None:
    """Features of the unit's form, values, subject tie and passage."""
    f, text = c.features, c.text
    for kind in VALUE_KINDS:
        f[f"match_{kind}"] = float(kind in question.wants and holds(kind, text, question.role))
    f["want_missing"] = float(bool(question.wants) and not any(holds(k, text, question.role) for k in question.wants))
    f["match_edge"] = float(bool(question.edge) and _states_edge(question.edge, text))
    f["length"] = math.log1p(len(text)) / 6
    f["short"] = float(len(text) < 40)
    f["heading"] = float(c.unit.kind == "heading")
    f["title_like"] = float(c.title_like)
    f["asks"] = float(bool(_ASKS.match(text)))
    f["item"] = float(c.unit.kind == "item")
    f["line"] = float(c.unit.kind == "line")
    f["lead_in"] = float(text.endswith(":"))
    # A list question is answered by a list's items and its lead-in, which rarely repeat the question's words.
    f["list_item"] = float(question.kind == "list" and c.unit.kind in ("item", "line"))
    f["list_lead_in"] = float(question.kind == "list") * f["lead_in"]
    # A list question names what is listed ("partners"); the list's lead-in names what it lists ("Parter i
    # projektet:"), and its items rarely repeat it (`topic_ctx` reads the lead-in as an item's context).
    f["list_topic"] = f["topic_ctx"] * max(f["list_item"], f["list_lead_in"])
    # An overview starts where a text introduces itself or says what it is for.
    overview = float(question.kind == "overview")
    f["overview_first"] = overview * float(c.index == 0 and c.passage.chunk.start == 0)
    f["overview_purpose"] = overview * float(bool(_PURPOSE.search(text)))
    subject = ties.strength(c.passage, c.unit)
    f["subject"] = subject
    f["subject_ok"] = float(subject >= SUBJECT_GATE)
    f["passage_score"] = c.passage.score
    f["passage_rank"] = 1.0 / max(c.passage.rank, 1)
    f["passage_dense"] = c.passage.dense_score or 0.0
    f["position"] = c.index / 10
    f["first"] = float(c.index == 0)


def _states_edge(edge: str, text: str) -> bool:
    """Whether a unit states the start or the end of a period (a range states both)."""
    period = period_in(text)
    return period is not None and (period.start if edge == "start" else period.end) is not None


def _meaning(candidates: list[Candidate], query: np.ndarray | None) -> None:
    """The e5 similarity of question and unit, where both vectors are known (0 otherwise)."""
    for c in candidates:
        rows = unpack(c.passage.chunk.unit_vectors, len(query)) if query is not None else None
        # A store written before sentence vectors has none: the feature is 0 then.
        c.features["e5"] = float(rows[c.index] @ query) if rows is not None and c.index < len(rows) else 0.0


def _neighbours(candidates: list[Candidate]) -> None:
    """What the sentences around a unit say: an answer often follows the sentence that matches the question
    and refers back to it ("Industrielektriker underhåller maskiner. De programmerar styrsystem …")."""
    for i, c in enumerate(candidates):
        before = candidates[i - 1] if i > 0 and candidates[i - 1].passage is c.passage else None
        after = candidates[i + 1] if i + 1 < len(candidates) and candidates[i + 1].passage is c.passage else None
        f = c.features
        f["prev_lex"] = before.features["lex"] if before else 0.0
        f["next_lex"] = after.features["lex"] if after else 0.0
        f["anaphor"] = float(bool(_ANAPHOR.match(c.text)))
        f["prev_lex_anaphor"] = f["prev_lex"] * f["anaphor"]
        f["lex_novel"] = f["lex_ctx"] * f["novel"]
        f["prev_e5"] = before.features["e5"] if before else 0.0
        f["prev_e5_anaphor"] = f["prev_e5"] * f["anaphor"]


def _relative(candidates: list[Candidate], name: str) -> None:
    """A feature's distance from the best candidate's, and its rank among them. Equal values share a rank: the
    same sentence from two overlapping passages is one sentence, not the first and the second."""
    values = np.array([c.features[name] for c in candidates])
    top = values.max()
    ahead = len(values) - np.searchsorted(np.sort(values), values, side="right")  # how many score higher
    for c, value, before in zip(candidates, values, ahead, strict=True):
        c.features[f"{name}_gap"] = float(value - top)
        c.features[f"{name}_rank"] = 1.0 / (1 + int(before))


def _plain_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _terms(text: str) -> frozenset[str]:
    return frozenset(t for token in tokenize(text) for t in terms_of(token))


def _context_text(c: Candidate) -> str:
    meta = c.passage.chunk.meta
    return " ".join((meta.title, *c.passage.chunk.heading_path, c.unit.context))


class _Forms:
    """How each question word is found among the candidates' terms: whole, by its compound parts, or in another
    form. Which of the candidates' terms are other forms of a word is worked out once per question, so looking a
    word up in a unit is a set operation rather than a comparison with each of its terms."""

    def __init__(self, groups: Sequence[tuple[str, ...]], vocabulary: frozenset[str]):
        whole_words = {g[0] for g in groups}
        self.variants = {w: frozenset(t for t in vocabulary if _variant(w, t)) for w in whole_words}
        # The terms within reach of each word by shared letter trigrams, with their similarity.
        self.near = {w: _near_terms(w, vocabulary) for w in whole_words}

    def found(self, group: tuple[str, ...], terms: frozenset[str]) -> float:
        """1 when the word's stem occurs; else a share of its compound parts, or another form of it."""
        whole = group[0]
        if whole in terms:
            return 1.0
        if group[1:]:
            return PART_CREDIT * sum(p in terms for p in group[1:]) / len(group[1:])
        return 0.0 if self.variants[whole].isdisjoint(terms) else VARIANT_CREDIT

    def nearest(self, stem: str, terms: frozenset[str]) -> float:
        """How close the nearest term of a unit comes to a question word missing from it, by shared letter
        trigrams (Dice): "avslogs" ~ "avslagits", "armring" ~ "armering". 0 below `FUZZY_MIN` or for short
        words."""
        return max((d for t, d in self.near[stem].items() if t in terms), default=0.0)


def _variant(whole: str, term: str) -> bool:
    """Whether `term` is another form of the question word `whole`: a short ending apart, or the same root."""
    if len(whole) >= 5 and _same_word(whole, term):
        return True
    root = _root(whole)
    return root != whole and _root(term) == root


def _near_terms(stem: str, vocabulary: frozenset[str]) -> dict[str, float]:
    """The terms whose letter trigrams overlap `stem`'s by at least `FUZZY_MIN` (Dice), with that overlap."""
    if len(stem) < 5:
        return {}
    mine = _trigrams(stem)
    near = {}
    for t in vocabulary:
        if len(t) >= 4:
            theirs = _trigrams(t)
            dice = 2 * len(mine & theirs) / (len(mine) + len(theirs))
            if dice >= FUZZY_MIN:
                near[t] = dice
    return near


@lru_cache(maxsize=65536)
def _trigrams(word: str) -> frozenset[str]:
    return frozenset(word[i : i + 3] for i in range(len(word) - 2))


def _same_word(a: str, b: str) -> bool:
    """Two stems of one word the stemmer left apart: differing in a short ending (godkänt ~ godkänd)."""
    short, long = sorted((a, b), key=len)
    if len(short) < 5:
        return False
    if len(long) - len(short) <= 2:
        return long.startswith(short[:-1])
    return len(short) >= 6 and len(long) - len(short) <= 5 and long.startswith(short)


# Endings by which Swedish derives a word from another, as the stemmer leaves them: the verb's present and
# past, the agent noun, the participles, the action nouns ("äger" ~ "ägare", "kostar" ~ "kostnad").
_DERIVATIONS = ("ningar", "ningen", "ning", "else", "ande", "ende", "are", "nad", "ar", "er", "ir", "ad", "n", "s")


@lru_cache(maxsize=65536)
def _root(term: str) -> str:
    """A stem without its derivational ending, at least two letters: one root for a word family."""
    for ending in _DERIVATIONS:
        if term.endswith(ending) and len(term) - len(ending) >= 2:
            return term[: -len(ending)]
    return term


def _novelty(text: str, groups: tuple[tuple[str, ...], ...]) -> float:
    """The share of a unit's words that are not the question's: an answer says something more."""
    asked = {t for g in groups for t in g}
    words = [t for t in tokenize(text) if t not in STOP_WORDS]
    if not words:
        return 0.0
    return sum(1 for t in words if not set(terms_of(t)) & asked) / len(words)
