"""Answers with citations, offline and without a language model: the passages' own words, shaped by the question.

    decision = compose_answer("Hur stor är budgeten för North Sweden Green Deal?", passages, language="sv")

How an answer is made:

1. The question is read (`questions`): the shape of answer it asks for (fact, list, overview, contact,
   definition), the kind of value it wants, its subjects and its weighted words.
2. Every sentence, list item and table line of the passages becomes a candidate with features
   (`features`), and the learned ranker orders them (`scorer`). A candidate not tied to the question's
   subjects (`subjects`) never answers.
3. The answer is composed in the shape asked for from the best candidates: a *fact* is the best sentence
   and the next one when both fit (or the window that holds the answer, ≤ `FACT_MAX_CHARS`), with a rival
   sentence beside it when the sources give different values; a *list* is the items of the list the best
   candidates are in (`lists`) when it is sure enough, else the best sentences (an explanation, below) when the
   confidence model finds them likelier right (`alternatives`: "Länsstyrelsen ingår som samverkanspart …" may
   answer a list question better than any list); an *overview* is 2–4 sentences (`overview`), and so, within
   `EXPLANATION_MAX_CHARS`, is the answer to a question read as a fact that asks for an explanation rather than
   a value ("Vad gör en audionom?", `explains`) or a list question whose passages hold no list; a *contact* is
   the block with the person's name, e-mail and phone (`contact`); a *definition* spells out an acronym
   (`acronyms`). An overview or contact question whose passages hold no such shape gets the fact answer. A
   request to summarize a document it names ("Sammanfatta återrapporteringen för 2022") is answered from the
   whole document (`summary`).
4. The confidence model says how likely the composed answer is right, reading the ranking around the unit
   the answer stands on (a list's best unit) and, for a list, its items' average score and its lead-in;
   below the learned threshold the question is declined, with the reason, and the closest passages are cited
   as leads — unless nothing is close at all (off topic), when no passage is shown.

Every number in an answer occurs in a cited passage; every word of its content is quoted from one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.answer import NOT_FOUND_EN, NOT_FOUND_SV, Citation, Passage
from assistant.answering.acronyms import (
    Definition,
    find_definitions,
    implied_expansion,
    stated_definitions,
    uses_acronym,
)
from assistant.answering.contact import find_contact
from assistant.answering.features import Candidate, build_candidates
from assistant.answering.inventory import inventory_answer
from assistant.answering.lists import find_list, introduced_by
from assistant.answering.overview import EXPLANATION_MAX_CHARS, choose_overview, overview_quotes, prose
from assistant.answering.questions import CONTACT, DEFINITION, FACT, LIST, OVERVIEW, Question, read_question
from assistant.answering.quoting import Quote, citations, collapsed, numbers_supported, quote, window
from assistant.answering.scorer import Scorer, load_scorer
from assistant.answering.subjects import SUBJECT_GATE
from assistant.answering.summary import summarize, summarized_document
from assistant.answering.values import EMAIL, PHONE, numbers_in, period_in, years_in
from ingest.swedish.analysis import terms_of, tokenize
from ingest.swedish.sentences import split_sentences

FACT_MAX_CHARS = 300
# An acronym's expansion that the documents imply (its words spell it, written at least twice in the passages using
# it) but never state: answered, and said to be likely. In the stores of the bundled and SweQUAD-MC texts this
# finds 8 expansions, all right (6 of them also stated).
IMPLIED_CONFIDENCE = 0.8
CLOSEST = 3
# A question none of whose weighted words the passages hold (less than this share) is off topic.
OFF_TOPIC_COVERAGE = 0.34
# A rival sentence with other values is shown beside the best when it scores within this of it.
CONFLICT_MARGIN = 1.0
CONFLICT_WANTS = frozenset({"date", "amount", "count", "share"})
# The best usable candidates whose passages a list may be taken from.
LIST_PASSAGES = 8
# How many of a fact question's best sentences are looked at for a lead-in whose list may answer instead.
LEAD_INS_SEARCHED = 3
_DETAIL_PATTERNS = {"phone": PHONE, "email": EMAIL}
# Values a fact answer must hold when asked for (a measure, the name of the person holding a role, a web address).
# A when-question wants a date or a condition ("om det finns minst tio arbetstagare"): no measure alone, so it is
# never declined for want of a date; the ranker and the confidence model weigh whether a sentence holds one.
MEASURES = frozenset({"amount", "count", "share", "date", "duration", "person_name", "web"})
# Values whose question is answered by the sentence holding them, not by an explanation.
EXPLAINED_NOT = MEASURES | {"person", "place"}

CONFLICT_SV = "Uppgifterna skiljer sig åt mellan källorna."
CONFLICT_EN = "The sources differ."
CLOSEST_SV = "Närmast frågan ligger {refs}."
CLOSEST_EN = "The closest passages are {refs}."
OTHER_LANGUAGE = (
    "Tyvärr kan jag bara svara på frågor på svenska eller engelska. "
    "Sorry, I can only answer questions in Swedish or English."
)


@dataclass(frozen=True)
class Decision:
    """What the answer step decided: the text and its citations, or a decline and why."""

    answered: bool
    text: str
    citations: list[Citation] = field(default_factory=list)
    kind: str = FACT
    decline_reason: str = ""
    conflict: bool = False
    confidence: float = 0.0
    asked: str = FACT  # the shape the question asked for (`Question.kind`)


def compose_answer(
    question: str,
    passages: Sequence[Passage],
    *,
    language: str = "sv",
    scorer: Scorer | None = None,
    query_vector: np.ndarray | None = None,
    document: Callable[[str], list[Passage]] | None = None,
    documents: Callable[[], list[list[Passage]]] | None = None,
) -> Decision:
    """The answer to `question` from `passages` (best first): the whole answer step in one call.

    `document` gives all passages of a document by its id: a request to summarize a document it names is
    answered from the whole of it (`summary`), not from the passages retrieved. `documents` gives every
    document's passages: a question for which documents there are is answered from them (`inventory`).
    """
    scorer = scorer or load_scorer()
    read = read_question(question, language)
    if documents is not None:
        listed = inventory_answer(read, documents)
        if listed is not None:
            return Decision(True, *listed, kind=LIST, confidence=1.0, asked=read.kind)
    if document is not None and query_vector is not None:
        summarized = _document_summary(read, passages, document, len(query_vector))
        if summarized is not None:
            return summarized
    candidates = build_candidates(read, passages, query_vector=query_vector)
    return replace(decide(read, scorer.rank(candidates), scorer, document=document), asked=read.kind)


def _document_summary(
    question: Question, passages: Sequence[Passage], document: Callable[[str], list[Passage]], dimension: int
) -> Decision | None:
    """The summary of the document the question names, if it names one and it has sentences to quote.

    Its confidence is 1: it rests on the document's metadata naming every word of the request, not on a ranking.
    """
    doc_id = summarized_document(question, passages)
    if doc_id is None:
        return None
    chosen = summarize(document(doc_id), dimension)
    if len(chosen) < 2:
        return None
    composed = Composed(OVERVIEW, [quote(p, s.start, s.end) for p, s in chosen])
    cited, marks = citations(composed.shown)
    text = _text(question, composed, marks)
    if not numbers_supported(text, [c.passage for c in cited]):
        return None
    return Decision(True, text, cited, OVERVIEW, confidence=1.0, asked=OVERVIEW)


def decide(
    question: Question,
    ranked: list[Candidate],
    scorer: Scorer,
    *,
    document: Callable[[str], list[Passage]] | None = None,
) -> Decision:
    """The answer to `question` from its ranked candidates (best first), or a decline with its reason.

    `document` (all passages of a document by its id) lets an acronym's definition be found anywhere in the
    documents that use it, not only in the passages retrieved."""
    if question.language not in ("sv", "en"):
        return Decision(False, OTHER_LANGUAGE, decline_reason="language")
    if question.contentless:
        return _declined(question, ranked, "contentless")
    usable = usable_candidates(question, ranked)
    if question.kind == DEFINITION:
        defined = _definition(question, [c.passage for c in ranked], document)
        if defined is not None:
            return defined
    if lacks_measure(question, usable):
        return _declined(question, ranked, "no_answer")
    shapes = alternatives(question, usable, ranked)
    if not shapes:
        return _declined(question, ranked, "no_answer")
    scored = [(scorer.probability(question, usable, c), c) for c in shapes]
    confidence, composed = preferred(question, scored, scorer.threshold)
    if confidence < scorer.threshold:
        return _declined(question, ranked, "no_answer", confidence)
    cited, marks = citations(composed.shown)
    text = _text(question, composed, marks[1:] if composed.lead else marks)
    if not numbers_supported(text, [c.passage for c in cited]):
        return _declined(question, ranked, "no_answer", confidence)
    return Decision(True, text, cited, composed.kind, conflict=composed.conflict, confidence=confidence)


def preferred(question: Question, scored: list[tuple[float, Composed]], threshold: float) -> tuple[float, Composed]:
    """The answer given among the alternatives with their probabilities: a list question's list when it is sure
    enough (the items are what was asked for, though its explanation may be likelier right), else the likeliest."""
    sure, first = scored[0]
    if question.kind == LIST and first.kind == LIST and sure >= threshold:
        return sure, first
    return max(scored, key=lambda t: t[0])


@dataclass(frozen=True)
class Composed:
    """An answer's shape and what it quotes: an optional lead-in line, then the quotes, each with a marker."""

    kind: str
    quotes: list[Quote]
    lead: Quote | None = None
    conflict: bool = False
    basis: Candidate | None = None  # the candidate the answer stands on (the best unit of a list), if not the top
    support: float | None = None  # a list's mean item score: how well the answer as a whole fits the question

    @property
    def shown(self) -> list[Quote]:
        """Everything the answer quotes, the lead-in first."""
        return [*([self.lead] if self.lead else []), *self.quotes]

    @property
    def text(self) -> str:
        return " ".join(q.text for q in self.shown)


def usable_candidates(question: Question, ranked: list[Candidate]) -> list[Candidate]:
    """The candidates that may answer, best first: tied to the question's subjects; when the question asks for a
    measure (an amount, a count, a share, a date), those holding one come first — a sentence without the
    measure cannot hold the answer, however well it matches the question's words."""
    usable = [c for c in ranked if _tied(question, c)]
    if question.kind == FACT and question.wants & MEASURES:
        holding = [c for c in usable if not c.features["want_missing"]]
        usable = holding + [c for c in usable if c.features["want_missing"]]
    return usable


def lacks_measure(question: Question, usable: list[Candidate]) -> bool:
    """Whether only a measure is asked for (how much, how many, when …) and no usable sentence holds one."""
    if question.kind != FACT or not question.wants or not question.wants <= MEASURES:
        return False
    return all(c.features["want_missing"] for c in usable)


def _tied(question: Question, c: Candidate) -> bool:
    """Whether a candidate may answer: tied to every subject of the question (see `subjects`)."""
    return not question.subjects or c.features["subject"] >= SUBJECT_GATE


def alternatives(question: Question, usable: list[Candidate], ranked: list[Candidate]) -> list[Composed]:
    """The answers that may be given, in the shape asked for and, for a list question, also as an explanation:
    which of them is given is the one the confidence model thinks likelier right (a list question's list when it
    is sure enough, `preferred`). A list question is often answered by one sentence ("Länsstyrelsen ingår som
    samverkanspart …") or a paragraph, or by a list whose items score low one by one."""
    shaped = compose(question, usable, ranked)
    if shaped is None:
        return []
    if question.kind == LIST and shaped.kind == LIST:
        explained = compose(replace(question, kind=FACT), usable, ranked)
        return [shaped, *([explained] if explained is not None else [])]
    if question.kind == FACT and not question.wants:
        introduced = _introduced_list(usable, ranked)
        if introduced is not None and introduced.text != shaped.text:
            return [shaped, introduced]
    return [shaped]


def _introduced_list(usable: list[Candidate], ranked: list[Candidate]) -> Composed | None:
    """The list that one of the best sentences introduces ("För Västerbottens delprojekt prioriteras dessa
    områden:"), as an answer standing on that lead-in. "Vad prioriteras …?" asks for a list in the words of a
    fact question; whether the list or the best sentence answers is the confidence model's choice."""
    for lead in usable[:LEAD_INS_SEARCHED]:
        found = introduced_by(lead, ranked)
        if found is not None:
            return Composed(LIST, found.items, found.lead_in, basis=lead, support=found.score)
    return None


def compose(question: Question, usable: list[Candidate], ranked: list[Candidate] | None = None) -> Composed | None:
    """The answer in the shape the question asks for, from the usable candidates (best first); None if none.

    A list's items rarely name the subject themselves: they may come from any unit of a passage that holds a
    usable candidate (`ranked`, all candidates best first). A question for a phone number or an e-mail address
    gets no answer that holds none: naming the person is not giving their number. When the answer in its shape
    holds none (no contact block: an address list without names), the best sentence holding one answers it.
    """
    composed = _shaped(question, usable, ranked)
    if composed is None or not question.details or _holds_detail(question, composed.text):
        return composed
    holding = [c for c in usable if _holds_detail(question, c.text)]
    return _fact(question, holding) if holding else None


def _holds_detail(question: Question, text: str) -> bool:
    """Whether `text` holds a contact detail the question asks for by name (a phone number, an e-mail address)."""
    return any(_DETAIL_PATTERNS[d].search(text) for d in question.details)


def _shaped(question: Question, usable: list[Candidate], ranked: list[Candidate] | None) -> Composed | None:
    """The answer in the shape asked for (see `compose`)."""
    if not usable:
        return None
    if question.kind == LIST:
        tied = {c.passage.chunk.id for c in usable[:LIST_PASSAGES]}
        pool = [c for c in (ranked or usable) if c.passage.chunk.id in tied]
        found = find_list(pool, seeds=[c for c in usable if c.passage.chunk.id in tied])
        if found is not None:
            return Composed(LIST, found.items, found.lead_in, basis=found.best, support=found.score)
    if question.kind == OVERVIEW:
        chosen = choose_overview(usable)
        if chosen:
            return Composed(OVERVIEW, overview_quotes(chosen))
    if question.kind == CONTACT:
        block = find_contact(usable)
        if block is not None:
            return Composed(CONTACT, block.lines)
    if explains(question) and prose(usable[0]):
        chosen = choose_overview(usable, EXPLANATION_MAX_CHARS)
        if chosen:
            return Composed(OVERVIEW, overview_quotes(chosen, EXPLANATION_MAX_CHARS))
    return _fact(question, usable)


def explains(question: Question) -> bool:
    """Whether a question read as a fact asks for an explanation, not a value: "Vad gör en audionom?", "Vad
    innebär …?" — no amount, date, count, name or place. It is answered in a few sentences, like an overview; so
    is a list question without a list in its passages, and that is its other answer beside a list found: the
    items are often spread over a paragraph ("Vilka arbetsuppgifter har …?")."""
    return question.kind in (FACT, LIST) and not question.wants & EXPLAINED_NOT


def _fact(question: Question, usable: list[Candidate]) -> Composed | None:
    """The best sentence (a lead-in with its list), and a rival giving other values if there is one."""
    for best in (c for c in usable if (c.unit.kind != "heading" and not c.title_like) or len(usable) == 1):
        if not best.text.endswith(":"):
            break
        found = find_list([best, *(c for c in usable if c.passage is best.passage)])
        if found is not None and found.lead_in is not None:
            return Composed(LIST, found.items, found.lead_in)
        # A lead-in whose list is not in its passage (it went on in the next chunk) says nothing alone.
    else:
        return None
    rival = _conflicting(question, best, usable[1:])
    # Room for the quotes' text; "…" and the markers "[n]" take the rest of FACT_MAX_CHARS.
    room = FACT_MAX_CHARS // 2 - 10 if rival else FACT_MAX_CHARS - 8
    value = _word_value(question)
    quotes = [
        window(c.passage, c.unit.start, _end_with_sequel(c, usable, room), room, value)
        for c in [best, *([rival] if rival else [])]
    ]
    return Composed(FACT, quotes, conflict=rival is not None)


def _end_with_sequel(best: Candidate, usable: list[Candidate], room: int) -> int:
    """Where the quote of `best` ends: after the next sentence too, when both fit in `room`.

    The answer often follows the sentence that matches the question's words ("Där finns även utbildning till
    trädgårdsingenjör. Utbildningen är tre år lång …"), or the two say it together. Measured on the tuning
    parts, taking the next sentence whenever it fits answers more questions right than taking it only after a
    sentence that mostly restates the question (SweQUAD-MC tuning part +1.5 points, project odd ids +2.3, no
    more wrong answers), at a median answer of 191 characters instead of 151.
    """
    sequel = next((c for c in usable if c.passage is best.passage and c.index == best.index + 1), None)
    # A heading, a list item or a lead-in ("Parter i projektet:") says nothing without what follows it; the next
    # sentence of the same item goes on with it ("• Vilhelmina kommun arbetar som pilotkommun … Fokus för arbetet
    # är att ta fram en arbetsmarknadsstrategi …").
    if sequel is None or sequel.text.endswith(":") or not (sequel.unit.kind == "sentence" or _same_item(best, sequel)):
        return best.unit.end
    return sequel.unit.end if sequel.unit.end - best.unit.start <= room else best.unit.end


def _same_item(unit: Candidate, sequel: Candidate) -> bool:
    """Whether `sequel` is the next sentence of the list item `unit` is in: nothing but spaces between them."""
    between = unit.passage.text[unit.unit.end : sequel.unit.start]
    return unit.unit.kind == sequel.unit.kind == "item" and not between.strip() and "\n" not in between


def _conflicting(question: Question, best: Candidate, others: list[Candidate]) -> Candidate | None:
    """A close runner-up from another passage that gives other values of the kind asked for, if any.

    Only like is compared with like: two periods end by end, or two sets of amounts/counts/shares that are
    neither a subset of the other; and the runner-up must hold at least the question words the best holds,
    so "budget" in one and "EU-fond" in the other is no conflict.
    """
    wanted = question.wants & CONFLICT_WANTS
    if not wanted or best.features["want_missing"]:
        return None
    asked = _matched(question, best.text)
    for other in others:
        if other.score < best.score - CONFLICT_MARGIN:
            break
        if other.passage.chunk.doc_id == best.passage.chunk.doc_id and other.passage is best.passage:
            continue
        if other.features["want_missing"] or not asked <= _matched(question, other.text):
            continue
        if "date" in wanted and _periods_differ(best.text, other.text):
            return other
        mine, theirs = _values(best.text), _values(other.text)
        if wanted - {"date"} and mine and theirs and not (mine <= theirs or theirs <= mine):
            return other
    return None


def _periods_differ(mine: str, theirs: str) -> bool:
    """Two periods of the same kind (two ranges, two starts, two ends, two sets of years) that differ."""
    a, b = period_in(mine), period_in(theirs)
    if a is None or b is None or a.kind != b.kind:
        return False
    if a.kind == "years":
        x, y = set(a.years), set(b.years)
        return not (x <= y or y <= x)
    return any(getattr(a, end) != getattr(b, end) for end in ("start", "end") if getattr(a, end) and getattr(b, end))


def _values(text: str) -> frozenset[str]:
    years = set(years_in(text))
    return frozenset(re.sub(r"\s", "", n).replace(",", ".") for n in numbers_in(text) if n not in years)


def _matched(question: Question, text: str) -> frozenset[str]:
    terms = {t for token in tokenize(text) for t in terms_of(token)}
    return frozenset(g[0] for g in question.words if g[0] in terms)


def _word_value(question: Question):
    """How much a word is worth keeping in a shortened quote: the question's words and numbers 1, others 0."""
    asked = {t for g in question.words for t in g}

    def value(word: str) -> float:
        if any(ch.isdigit() for ch in word):
            return 1.0
        return 1.0 if any(set(terms_of(t)) & asked for t in tokenize(word)) else 0.0

    return value


# --- writing the answer --------------------------------------------------------------------------------------


def _text(question: Question, composed: Composed, marks: list[int]) -> str:
    """The answer text in its shape, with the markers [n] of its citations."""
    english = question.language == "en"
    if composed.kind in (LIST, CONTACT):
        lead = composed.lead.text if composed.lead else ("According to the documents:" if english else "")
        lines = [f"- {q.text} [{n}]" for q, n in zip(composed.quotes, marks, strict=True)]
        return "\n".join([lead, *lines] if lead else lines)
    parts = [q.shown(n, question.language) for q, n in zip(composed.quotes, marks, strict=True)]
    if english:
        if composed.conflict:
            return f"{CONFLICT_EN} According to the documents: {parts[0]}, but also: {parts[1]}."
        return f"According to the documents: {' '.join(parts)}"
    text = " ".join(parts)
    return f"{text} {CONFLICT_SV}" if composed.conflict else text


def _declined(question: Question, ranked: list[Candidate], reason: str, confidence: float = 0.0) -> Decision:
    """The not-found answer, citing the closest passages as leads — none when nothing is close (off topic)."""
    coverage = max((c.features.get("lex_ctx", 0.0) for c in ranked), default=0.0)
    if reason == "no_answer" and coverage < OFF_TOPIC_COVERAGE:
        reason = "off_topic"
    text = NOT_FOUND_EN if question.language == "en" else NOT_FOUND_SV
    if reason == "off_topic":
        return Decision(False, text, kind=question.kind, decline_reason=reason, confidence=confidence)
    closest: dict[str, Candidate] = {}
    for c in ranked:
        if len(closest) < CLOSEST:
            closest.setdefault(c.passage.chunk.id, c)
    leads = [Citation(n, c.passage, c.text, c.unit.start, c.unit.end) for n, c in enumerate(closest.values(), 1)]
    if leads:
        refs = _join_refs([f"[{c.n}]" for c in leads], question.language)
        text += " " + (CLOSEST_EN if question.language == "en" else CLOSEST_SV).format(refs=refs)
    return Decision(False, text, leads, question.kind, decline_reason=reason, confidence=confidence)


def _join_refs(refs: list[str], language: str) -> str:
    if len(refs) == 1:
        return refs[0]
    return ", ".join(refs[:-1]) + (" and " if language == "en" else " och ") + refs[-1]


# --- acronyms ------------------------------------------------------------------------------------------------


def _definition(
    question: Question, passages: list[Passage], document: Callable[[str], list[Passage]] | None = None
) -> Decision | None:
    """ "X står för Y [1]." from the first definition of the acronym in the passages, best passage first —
    failing one there, in the whole documents of the passages that use it; failing a stated one, the words
    those documents write that spell it ("X står troligen för Y [1].", see `implied_expansion`)."""
    defined = _stated(question, passages)
    if defined is not None or document is None:
        return defined
    using = dict.fromkeys(p.chunk.doc_id for p in passages if uses_acronym(p.text, question.acronym))
    whole = [document(doc_id) for doc_id in using]
    for doc in whole:
        defined = _stated(question, doc)
        if defined is not None:
            return defined
    for doc in whole:
        implied = _implied(question, doc)
        if implied is not None:
            return implied
    return None


def _stated(question: Question, passages: list[Passage]) -> Decision | None:
    """The definition the passages give: one spelled exactly first, else the best stated one."""
    wanted = question.acronym.casefold()
    for passage in passages:
        for d in find_definitions(passage.text):
            if d.acronym.casefold() == wanted:
                return _defined(question, passage, d)
    stated = [(d, p) for p in passages for d in stated_definitions(p.text) if d.acronym.casefold() == wanted]
    if stated:
        d, passage = max(stated, key=lambda found: found[0].score)
        return _defined(question, passage, d)
    return None


def _implied(question: Question, passages: list[Passage]) -> Decision | None:
    """The words a document's passages that use the acronym write that spell it, quoted where they first stand,
    as a likelihood."""
    found = implied_expansion([p.text for p in passages], question.acronym)
    if found is None:
        return None
    n, words, start, end = found
    return _defined(question, passages[n], Definition(question.acronym, words, start, end, 1.0), implied=True)


def _defined(question: Question, passage: Passage, d: Definition, *, implied: bool = False) -> Decision | None:
    """The answer naming the expansion, citing the sentence that defines it (or the definition itself); an
    implied one is said to be likely, and answered at `IMPLIED_CONFIDENCE`."""
    expansion = collapsed(d.expansion)
    sentence = next((s for s in split_sentences(passage.text) if s.start <= d.start < s.end), None)
    if sentence and d.end <= sentence.end and len(sentence.text) <= FACT_MAX_CHARS:
        start, end = sentence.start, sentence.end
    else:
        start, end = d.start, d.end
    if question.language == "en":
        text = f'According to the documents, {d.acronym} {"probably " if implied else ""}stands for "{expansion}" [1].'
    else:
        text = f"{d.acronym} står {'troligen ' if implied else ''}för {expansion} [1]."
    if not numbers_supported(text, [passage]):
        return None
    q = quote(passage, start, end)
    confidence = IMPLIED_CONFIDENCE if implied else 1.0
    return Decision(True, text, [Citation(1, passage, q.text, start, end)], DEFINITION, confidence=confidence)
