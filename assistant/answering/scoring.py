"""Scoring the sentences of the top passages as answers to a question.

Every sentence (list item, table line) of the passages becomes a `Candidate` with four measures:

- overlap: the weighted share of the question's words it holds (stems and compound parts, weighted by
  how rare they are among the candidates; words only in its context count half). The subjects' own
  words are left to the subject measure; the type's cue words ("äger", "budget") count half, and are
  half met by a sentence holding the kind of answer they ask for; the noun a "Vilken X" question asks
  for counts one and a half, and is half met by a sentence that names something.
- evidence: how clearly it holds the kind of answer the type asks for (`assistant.answering.evidence`).
- subject: how closely every subject is tied to it — named in the sentence, in its context (earlier
  sentences of the paragraph, the list's lead-in, the headings), or only in the document's title (or,
  for open questions and questions about people, its publishing organisation). An acronym and its
  expansion defined in the passages are the same name. A sentence that gives a measure for something
  else ("budgeten för hela projektet") is not tied to a subject it names only after that.
- topic: the share of the question's topic words proper (not subjects, cue words or the noun asked
  for); what anchors a question that names nothing.

`Reader.acceptable` is the gate an answer must pass; the thresholds were calibrated on the odd-numbered
eval questions and checked on the even ones. A question that names nothing and asks about nothing
(`Question.contentless`: "?", "Vem är", "När slutar det?" on its own) passes no sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

from assistant.answer import Passage
from assistant.answering.acronyms import find_definitions
from assistant.answering.evidence import answer_evidence, names
from assistant.answering.questions import (
    CONTACT,
    OTHER,
    OWNER,
    PARTNER,
    PERIOD,
    PERSON,
    ROLE,
    YESNO,
    Question,
    subject_stems,
)
from ingest.swedish.analysis import analyze, tokenize
from ingest.swedish.lexicon import stem
from ingest.swedish.sentences import Sentence, split_sentences

# Score = weighted topic overlap + answer-type evidence + retrieval prior + subject closeness (each 0–1).
W_OVERLAP, W_EVIDENCE, W_PRIOR, W_SUBJECT = 0.45, 0.3, 0.15, 0.1
# Gates an answer must pass.
MIN_SCORE = 0.45
MIN_OVERLAP = 0.3
MIN_OVERLAP_UNANCHORED = 0.45  # for a question without subjects
MIN_TOPIC = 0.25  # for a question without subjects
MIN_EVIDENCE = 0.5
# Where a subject is named: in the sentence, its context (paragraph, lead-in, headings), the document's
# title or organisation, elsewhere in the passage.
IN_SENTENCE, IN_CONTEXT, IN_TITLE, IN_PASSAGE = 1.0, 0.8, 0.7, 0.4
SUBJECT_GATE = IN_TITLE
# A context naming the subject and another project as well ties the sentence to neither.
AMBIGUITY_PENALTY = 0.15
SENTENCE_TOPIC_WORDS = 3
CUE_TERM_WEIGHT = 0.5
FOCUS_WEIGHT = 1.5
# Types whose cue words name a relation a sentence may state in other words ("äger" ~ "projektägare",
# "pågår" ~ "Projektperiod:", "telefonnummer" ~ "Mobil 070-…"): a sentence with the evidence earns half
# of the cue word. An amount's or a count's cue ("budget") names what is measured and must match.
RELATION_TYPES = frozenset({OWNER, PERIOD, PARTNER, PERSON, ROLE, CONTACT})
# A document is about what its title names; who published it (its organisation) ties a sentence to a
# subject only for open questions and questions about people (the staff a publisher lists are its own).
# A figure, a date or an owner in Region Västernorrland's article about a project is the project's.
PUBLISHER_TYPES = frozenset({OTHER, YESNO, PERSON, ROLE, CONTACT})
# What ties a measure to what it is for: "budgeten för X", "antalet anställda hos X" (see `_holds`).
HOLDER_PREPOSITIONS = frozenset({"för", "hos"})
_ARTICLES = frozenset({"the", "den", "det", "de", "en", "ett"})  # "The North Sweden Green Deal" names no more


@dataclass(frozen=True)
class Candidate:
    """A sentence of a passage, scored as an answer to the question."""

    passage: Passage
    sentence: Sentence
    overlap: float
    evidence: float
    subject: float
    score: float
    topic: float

    @property
    def key(self) -> str:
        return self.sentence.text.casefold()


class Reader:
    """The question and the candidate sentences of its passages, with what scoring them needs."""

    def __init__(self, question: Question, passages: list[Passage]):
        self.question = question
        self.passages = passages
        self.sentences = [(p, s) for p in passages for s in split_sentences(p.text)]
        self._terms = [frozenset(analyze(s.text)) for _, s in self.sentences]
        self._contexts = [frozenset(analyze(_context_text(p, s))) for p, s in self.sentences]
        self._variants = _variants(question, frozenset().union(*self._terms, *self._contexts))
        self.definitions = [d for p in passages for d in find_definitions(p.text)]
        subject_terms = {t for subject in question.subjects for t in analyze(" ".join(subject))}
        # The question's words other than its subjects': what is asked about the subject.
        self._groups = [g for g in question.words if g[0] not in subject_terms]
        self._weights = self._word_weights()
        self._aliases = [self._subject_aliases(s) for s in question.subjects]
        self._rivals = [self._rivals_of(aliases) for aliases in self._aliases]
        self._hoist()

    # --- setup ---------------------------------------------------------------------------------------------

    def _hoist(self) -> None:
        """What scoring every sentence needs of the question alone, worked out once."""
        q = self.question
        self._own_stems = frozenset(t for aliases in self._aliases for alias in aliases for t in alias) | _ARTICLES
        self._total_weight = sum(self._weights.values())
        self._focus_groups = [g for g in self._groups if g[0] in q.focus]
        self._topical_groups = [g for g in self._groups if g[0] not in q.cue_terms and g[0] not in q.focus]
        aside = {*q.cue_terms, *q.counted, *q.focus}
        self._topic_groups = [g for g in self._groups if g[0] not in aside]
        self._topic_weight = sum(self._weights[g[0]] for g in self._topic_groups)
        self._priors = {id(p): 1.0 / (1.0 + 0.25 * self.passages.index(p)) for p in self.passages}
        self._publisher_counts = q.type in PUBLISHER_TYPES
        self._measures = frozenset(q.measured)
        self._longest_alias = max((len(a) for aliases in self._aliases for a in aliases), default=0)

    def _word_weights(self) -> dict[str, float]:
        """Weight of each question word (by its stem): how rare it is among the candidate sentences,
        halved for the type's cue words, one and a half for the noun a "Vilket X" question asks for."""
        n = len(self.sentences) or 1
        weights = {}
        for group in self._groups:
            whole = group[0]
            weight = math.log(1 + n / (1 + sum(self._has(terms, whole) for terms in self._terms)))
            if whole in self.question.cue_terms:
                weight *= CUE_TERM_WEIGHT
            elif whole in self.question.focus:
                weight *= FOCUS_WEIGHT
            weights[whole] = weight
        return weights

    def _subject_aliases(self, subject: tuple[str, ...]) -> list[tuple[str, ...]]:
        """A subject's stems, and those of the acronym or expansion it is defined as in the passages
        ("HSO" ~ "Hållbar samhällsomställning"; "Green Deal" ~ "North Sweden Green Deal" ~ "NSGD")."""
        own = subject_stems(subject)
        aliases = [own]
        for d in self.definitions:
            acronym, expansion = token_stems(d.acronym), token_stems(d.expansion)
            if own == acronym:
                aliases.append(expansion)
            elif _contiguous(own, expansion) and 2 * len(own) >= len(expansion):
                aliases += [acronym, expansion]
        return list(dict.fromkeys(aliases))

    def _rivals_of(self, aliases: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """Other projects named in the passages: defined acronyms and expansions that are not the subject."""
        named = {name for d in self.definitions for name in (token_stems(d.acronym), token_stems(d.expansion))}
        return [r for r in named if not any(_contiguous(a, r) or _contiguous(r, a) for a in aliases)]

    # --- scoring -------------------------------------------------------------------------------------------

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Every sentence scored, best first."""
        scored = zip(self.sentences, self._terms, self._contexts)
        out = [self._score(p, s, terms, context) for (p, s), terms, context in scored]
        return sorted(out, key=lambda c: -c.score)

    def _score(self, passage: Passage, sentence: Sentence, terms: frozenset[str], context: frozenset[str]) -> Candidate:
        evidence = answer_evidence(self.question, sentence.text, terms)
        overlap = self._overlap(terms, context, evidence, sentence.text)
        subject = self._subject(passage, sentence)
        prior = self._priors[id(passage)]
        score = W_OVERLAP * overlap + W_EVIDENCE * evidence + W_PRIOR * prior + W_SUBJECT * subject
        return Candidate(passage, sentence, overlap, evidence, subject, score, self._topic(terms, context))

    def _names_other(self, text: str) -> bool:
        """Whether the text names something besides the question's subjects."""
        return any(not set(token_stems(name)) <= self._own_stems for name in names(text))

    def _overlap(self, terms: frozenset[str], context: frozenset[str], evidence: float, text: str) -> float:
        if not self._total_weight:  # the question names its subject and nothing else: the subject decides
            return 1.0
        q = self.question
        got = 0.0
        for group in self._groups:
            match = max(self._word_match(group, terms), 0.5 * self._word_match(group, context))
            if group[0] in q.cue_terms and q.type in RELATION_TYPES:
                match = max(match, 0.5 * evidence)
            got += self._weights[group[0]] * match
        # "Vilken fond medfinansierar …?" is answered by a name ("… från ESF") in a sentence that holds the
        # question's topic (here "medfinansierar"); a cue word alone does not make it on topic.
        focus = self._focus_groups
        if focus and self._on_topic(terms) and self._names_other(text):
            got += sum(0.5 * self._weights[g[0]] for g in focus if self._word_match(g, terms) < 0.5)
        return min(1.0, got / self._total_weight)

    def _on_topic(self, terms: frozenset[str]) -> bool:
        return any(self._word_match(g, terms) >= 0.5 for g in self._topical_groups)

    def _topic(self, terms: frozenset[str], context: frozenset[str]) -> float:
        if not self._topic_weight:
            return 1.0
        got = sum(
            self._weights[g[0]] * max(self._word_match(g, terms), 0.5 * self._word_match(g, context))
            for g in self._topic_groups
        )
        return got / self._topic_weight

    def _subject(self, passage: Passage, sentence: Sentence) -> float:
        """How closely every subject is tied to the sentence (the weakest one counts); 1 with no subjects."""
        if not self._aliases:
            return 1.0
        meta = passage.chunk.meta
        layers = [
            (IN_SENTENCE, sentence.text),
            *((IN_CONTEXT, text) for text in (*sentence.near, *reversed(passage.chunk.heading_path))),
            (IN_TITLE, f"{meta.title} {meta.organisation}" if self._publisher_counts else meta.title),
        ]
        stemmed = [(strength, token_stems(text)) for strength, text in layers]
        whole = token_stems(passage.text)
        held = self._measure_holder(stemmed[0][1])
        return min(
            _nearest(aliases, rivals, stemmed if _holds(aliases, held) else stemmed[1:], whole)
            for aliases, rivals in zip(self._aliases, self._rivals)
        )

    def _measure_holder(self, stems: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The words before the measure asked about, and those after the "för" saying what it is for:
        "Den totala budgeten | för hela projektet är …" (None when the sentence says nothing of the kind)."""
        for i, term in enumerate(stems[:-2]):
            if term in self._measures and stems[i + 1] in HOLDER_PREPOSITIONS and not stems[i + 2][0].isdigit():
                return stems[:i], stems[i + 2 : i + 3 + self._longest_alias]
        return None

    # --- judging and extending -----------------------------------------------------------------------------

    def acceptable(self, c: Candidate) -> bool:
        """Whether a candidate answers: subjects tied to it, the answer type satisfied, enough of the topic."""
        q = self.question
        if q.contentless:  # nothing to be about: any sentence would do, so none does
            return False
        if c.subject < SUBJECT_GATE or c.overlap < MIN_OVERLAP or c.score < MIN_SCORE:
            return False
        # Without a name to anchor it, the answer must be about the question's topic words, and more of them.
        if not q.subjects and (c.topic < MIN_TOPIC or c.overlap < MIN_OVERLAP_UNANCHORED):
            return False
        if q.type not in (OTHER, YESNO) and c.evidence < MIN_EVIDENCE:
            return False
        # A lead-in ("Filmer som skapats inom projektet:") answers nothing unless a list follows it.
        return not c.sentence.text.endswith(":") or self.with_list(c) is not None

    def matched_words(self, c: Candidate) -> frozenset[str]:
        """The question's words (subjects' aside), by stem, that the candidate sentence itself holds."""
        terms = frozenset(analyze(c.sentence.text))
        return frozenset(g[0] for g in self._groups if self._word_match(g, terms) >= 0.5)

    def word_value(self, word: str) -> float:
        """How much a word of a sentence is worth keeping in a shortened quote: the question's words and
        numbers (where answers sit) 1, the subjects' words (named anyway) 0.3, other words 0."""
        terms = frozenset(analyze(word))
        if terms and any(self._word_match(g, terms) >= 0.5 for g in self._groups):
            return 1.0
        if terms and any(self._word_match(g, terms) >= 0.5 for g in self.question.words):
            return 0.3
        return 1.0 if any(ch.isdigit() for ch in word) else 0.0

    def with_list(self, c: Candidate) -> Candidate | None:
        """A lead-in ("Projektet har fyra arbetspaket:") joined with the list items after it, if any."""
        if not c.sentence.text.endswith(":"):
            return None
        after = [s for s in self._sentences_of(c.passage) if s.start >= c.sentence.end]
        items = [s for s in after if c.sentence.text in s.near]
        return _joined(c, items[-1]) if items else None

    def following(self, c: Candidate) -> Candidate | None:
        """The candidate's sentence joined with the next one of its paragraph or list, if there is one."""
        # By position, not identity: `c` may already be a joined candidate (a lead-in with its list).
        nxt = next((s for s in self._sentences_of(c.passage) if s.start >= c.sentence.end), None)
        if nxt is None or nxt.block != c.sentence.block:
            return None
        return _joined(c, nxt)

    def _sentences_of(self, passage: Passage) -> list[Sentence]:
        return [s for p, s in self.sentences if p is passage]

    # --- matching words -------------------------------------------------------------------------------------

    def _word_match(self, group: tuple[str, ...], terms: frozenset[str]) -> float:
        """1 when the word's stem occurs, else a share of its compound parts (0.7 for all of them)."""
        if self._has(terms, group[0]):
            return 1.0
        parts = group[1:]
        if not parts:
            return 0.0
        return 0.7 * sum(self._has(terms, p) for p in parts) / len(parts)

    def _has(self, terms: frozenset[str], term: str) -> bool:
        return not terms.isdisjoint(self._variants.get(term, (term,)))


def _context_text(passage: Passage, sentence: Sentence) -> str:
    meta = passage.chunk.meta
    return " ".join((meta.title, meta.organisation, *passage.chunk.heading_path, sentence.context))


def _joined(c: Candidate, last: Sentence) -> Candidate:
    """The candidate stretched to the end of a later sentence of its passage, scores kept."""
    s = c.sentence
    text = " ".join(c.passage.text[s.start : last.end].split())
    joined = Sentence(s.start, last.end, text, s.block, s.kind, s.near)
    return Candidate(c.passage, joined, c.overlap, c.evidence, c.subject, c.score, c.topic)


def _nearest(
    aliases: list[tuple[str, ...]],
    rivals: list[tuple[str, ...]],
    layers: list[tuple[float, tuple[str, ...]]],
    passage: tuple[str, ...],
) -> float:
    """The strength of the nearest layer naming the subject.

    A layer naming another project (a rival acronym or its expansion) but not the subject stops the
    search: "Projektet startar i februari" after a sentence about SAM is about SAM, whatever the heading
    above says. In the sentence itself only a rival it opens with counts ("SAM startar …", but not
    "Projektet har medfinansiering från ERUF"). A context layer naming both the subject and a rival (a
    title "… (HSO och SAM)") counts less than `SUBJECT_GATE`.
    """
    for strength, stems in layers:
        named = any(_contiguous(alias, stems) for alias in aliases)
        rival = _names_rival(stems, rivals, opening_only=strength == IN_SENTENCE)
        if named:
            return strength if strength == IN_SENTENCE or not rival else strength - AMBIGUITY_PENALTY
        if rival:
            break
    return IN_PASSAGE if any(_contiguous(alias, passage) for alias in aliases) else 0.0


def _variants(question: Question, vocabulary: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each question term with the terms of the passages that are the same word in another form: differing
    in a short ending (godkänt ~ godkänd), or a verb's stem and its noun (medfinansi|erar ~ medfinansi|ering)."""
    long_terms = [u for u in vocabulary if len(u) >= 5]
    out = {}
    for term in {t for group in question.words for t in group}:
        same = {u for u in long_terms if _same_word(term, u)} if len(term) >= 5 else set()
        out[term] = frozenset({term, *same})
    return out


def _same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) <= 2:
        return long.startswith(short[:-1])
    return len(short) >= 6 and len(long) - len(short) <= 5 and long.startswith(short)


@lru_cache(maxsize=4096)
def token_stems(text: str) -> tuple[str, ...]:
    """The stems of a text's tokens, in order: what names are matched on."""
    return tuple(stem(t) for t in tokenize(text))


def _names_rival(stems: tuple[str, ...], rivals: list[tuple[str, ...]], *, opening_only: bool) -> bool:
    """Whether the text names a rival, anywhere or (`opening_only`) within its first few words."""
    return any(_contiguous(r, stems[: len(r) + SENTENCE_TOPIC_WORDS] if opening_only else stems) for r in rivals)


def _holds(aliases: list[tuple[str, ...]], held: tuple[tuple[str, ...], tuple[str, ...]] | None) -> bool:
    """Whether the subject may hold the measure a sentence gives, by the sentence itself.

    "Den totala budgeten för hela projektet är 112,5 miljoner kronor som Region Norrbotten äger" gives
    the project's budget: the measure is said to be for something that is not the subject, and the
    subject comes only after. Such a sentence is tied to the subject like one that does not name it
    ("projektet" is whatever its context is about). Named before the measure ("SAM har en budget för …"),
    or as what it is for, the subject holds it.
    """
    if held is None:
        return True
    before, holder = held
    return any(_contiguous(alias, before) or _contiguous(alias, holder) for alias in aliases)


def _contiguous(needle: tuple[str, ...], hay: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))
