"""Answers with citations, offline and without a language model: the sentences that answer, quoted.

    answer = compose_answer("Hur stor är budgeten för North Sweden Green Deal?", passages, language="sv")

How an answer is found:

1. The question is read (`assistant.answering.questions`): its type (amount, period, owner, …), its subjects
   (names, acronyms, years) and its words, stemmed and decompounded like the index.
2. The top passages are cut into sentences, list items and table lines (`assistant.answering.sentences`) and each
   is scored (`assistant.answering.scoring`) on the question's words it holds, on whether it holds the kind of
   answer the type asks for (`assistant.answering.evidence`), on how closely it is tied to the subjects, and on
   its passage's rank. A sentence about another project's budget does not answer "Hur stor är budgeten
   för SAM?": every subject must be named in the sentence or its context.
3. The best sentence that passes the gates is quoted with a marker [1] pointing at its citation. When
   another sentence gives other values for the same period, amount or count, both are shown with the
   note that the sources differ, and `Answer.conflict` is set (periods are compared end by end: a
   question about the start compares starts only). An acronym question is answered from a definition
   found in the passages ("HSO står för Hållbar samhällsomställning [1]."), read exactly or, failing
   that, as the glossary reads it.
4. A factual answer stays within `FACT_MAX_CHARS`: a long sentence is quoted by the window of its words
   that holds the answer, marked with "…". Every number in the answer must occur in a cited passage.

When nothing passes, the answer is `answered=False` with the not-found text, and its `citations` list
the closest passages (the best-scoring sentence of each as the quote) for the reader to look at: they
are leads, not sources of an answer.

Swedish questions get the quoted sentence itself as the answer; English ones an English frame around
the Swedish quote; other languages a polite note in both, with the passages still listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import NOT_FOUND_EN, NOT_FOUND_SV, Answer, Citation, Passage
from assistant.answering.acronyms import Definition, find_definitions, stated_definitions
from assistant.answering.evidence import numbers_in, period_in
from assistant.answering.questions import ACRONYM, AMOUNT, COUNT, OTHER, PERIOD, SHARE, YESNO, Question, read_question
from assistant.answering.scoring import IN_CONTEXT, Candidate, Reader
from ingest.swedish.sentences import split_sentences

TOP_PASSAGES = 6
FACT_MAX_CHARS = 300
OTHER_MAX_CHARS = 450
CLOSEST = 3
# A runner-up with other values makes a conflict when it scores at least this share of the best; for
# amounts and counts, where different figures are often different things, it must come closer still.
CONFLICT_RATIO = 0.7
SAME_MEASURE_RATIO = 0.85
CONFLICT_TYPES = frozenset({PERIOD, AMOUNT, COUNT, SHARE})

CONFLICT_SV = "Uppgifterna skiljer sig åt mellan källorna."
CONFLICT_EN = "The sources differ."
CLOSEST_SV = "Närmast frågan ligger {refs}."
CLOSEST_EN = "The closest passages are {refs}."
OTHER_LANGUAGE = (
    "Tyvärr kan jag bara svara på frågor på svenska eller engelska. "
    "Sorry, I can only answer questions in Swedish or English."
)


def compose_answer(question: str, passages: list[Passage], *, language: str) -> Answer:
    """The answer to `question` from `passages` (best first), in `language` ("sv", "en"; others get a note).

    Fills `answered`, `text`, `citations`, `question_type`, `conflict`, `language` and `passages`; the
    caller fills the timings.
    """
    passages = list(passages)
    q = read_question(question, language)
    if language not in ("sv", "en"):
        return Answer(
            question, False, OTHER_LANGUAGE, language, passages=passages, question_type=q.type, decline_reason="language"
        )
    reader = Reader(q, passages[:TOP_PASSAGES])
    answer = _acronym_answer(reader) if q.type == ACRONYM else _sentence_answer(reader)
    if answer is None:
        answer = _not_found(reader)
    answer.passages = passages
    return answer


# --- choosing sentences --------------------------------------------------------------------------------------


def _sentence_answer(reader: Reader) -> Answer | None:
    q = reader.question
    ranked = [c for c in reader.candidates if reader.acceptable(c)]
    ranked = [c for c in ranked if _numbers_supported(c.sentence.text, [c.passage])]
    if not ranked:
        return None
    best = reader.with_list(ranked[0]) or ranked[0]
    if q.type in (OTHER, YESNO):
        best = _with_next_if_it_adds(reader, best)
    rival = _conflicting(reader, best, ranked[1:])
    return _render(reader, [best, rival] if rival else [best], conflict=rival is not None)


def _with_next_if_it_adds(reader: Reader, best: Candidate) -> Candidate:
    """For an open question, the next sentence too when it holds question words the best one lacks."""
    joined = reader.following(best)
    if joined is None or len(joined.sentence.text) > OTHER_MAX_CHARS:
        return best
    return joined if reader.matched_words(joined) - reader.matched_words(best) else best


def _conflicting(reader: Reader, best: Candidate, others: list[Candidate]) -> Candidate | None:
    """A close runner-up that gives other values for the same period, amount or count, if any.

    The runner-up must hold its answer about as clearly as the best and name the subject in the sentence
    or its own context (not only in the document title). For amounts and counts, and for questions
    without a subject, it must also be about the same thing: it holds at least the question words the
    best sentence holds ("budget" in both, not "budget" in one and "EU-fond" in the other). Periods are
    compared as `_periods_differ` says.
    """
    q = reader.question
    if q.type not in CONFLICT_TYPES:
        return None
    asked = reader.matched_words(best)
    for other in others:
        if other.key == best.key or other.score < CONFLICT_RATIO * best.score:
            continue
        if other.evidence < best.evidence - 0.2 or other.subject < IN_CONTEXT:
            continue
        same_measure = other.score >= SAME_MEASURE_RATIO * best.score and asked <= reader.matched_words(other)
        if (q.type != PERIOD or not q.subjects) and not same_measure:
            continue
        if q.type == PERIOD:
            if _periods_differ(q, best.sentence.text, other.sentence.text):
                return other
            continue
        mine, theirs = _values(best.sentence.text), _values(other.sentence.text)
        if mine and theirs and not (mine <= theirs or theirs <= mine):
            return other
    return None


def _periods_differ(q: Question, mine: str, theirs: str) -> bool:
    """Whether two sentences give different periods for what the question asks: the start for "När
    startar …", the end for "När slutar …", both ends otherwise.

    Only like is compared with like: two ranges, two starts, two ends, or two sets of years. "Under
    2019-2023" and "från mars 2022" are no conflict: a start inside a period is as likely a part of it
    (a course within the project) as a contradiction.
    """
    a, b = period_in(mine), period_in(theirs)
    if a is None or b is None or a.kind != b.kind:
        return False
    if a.kind == "years":
        x, y = set(a.years), set(b.years)
        return not (x <= y or y <= x)
    ends = (q.period_end,) if q.period_end else ("start", "end")
    return any(getattr(a, end) != getattr(b, end) for end in ends if getattr(a, end) and getattr(b, end))


def _values(text: str) -> frozenset[str]:
    """The numbers a sentence gives for an amount, count or share (years aside)."""
    years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)
    return frozenset(_normal_number(n) for n in numbers_in(text) if n not in years)


def _normal_number(number: str) -> str:
    return re.sub(r"\s", "", number).replace(",", ".")


def _numbers_supported(text: str, passages: list[Passage]) -> bool:
    """Whether every number in `text` (markers [n] aside) occurs in one of the passages.

    Both sides are read with whitespace collapsed, as quotes are: "250\n000" broken over a PDF line is
    the "250 000" of the quote, not "250" and "000".
    """
    text = re.sub(r"\[\d+\]", "", text)
    known = {_normal_number(n) for p in passages for n in numbers_in(_collapsed(p.text))}
    return all(_normal_number(n) in known for n in numbers_in(_collapsed(text)))


def _collapsed(text: str) -> str:
    return " ".join(text.split())


# --- writing the answer --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Quote:
    """What of a sentence is quoted: its span in the passage, the text, and whether it was cut."""

    start: int
    end: int
    text: str
    cut_left: bool = False
    cut_right: bool = False


def _render(reader: Reader, chosen: list[Candidate], *, conflict: bool) -> Answer | None:
    """The answer text with its markers and citations; None if a number in it is not in a cited passage."""
    q = reader.question
    limit = FACT_MAX_CHARS if q.factual else OTHER_MAX_CHARS
    room = _room(limit, len(chosen), q.language, conflict)
    quotes = [_quote(reader, c, room) for c in chosen]
    citations = [Citation(n, c.passage, qt.text, qt.start, qt.end) for n, (c, qt) in enumerate(zip(chosen, quotes), 1)]
    text = _frame([_shown(quote, n, q.language) for n, quote in enumerate(quotes, 1)], q.language, conflict)
    if not _numbers_supported(text, [c.passage for c in chosen]):
        return None
    return Answer(q.text, True, text, q.language, citations=citations, question_type=q.type, conflict=conflict)


def _room(limit: int, count: int, language: str, conflict: bool) -> int:
    """Characters each of `count` quotes may take once the frame, markers and "…" are counted."""
    empty = [_shown(_Quote(0, 0, "", True, True), n, language) for n in range(1, count + 1)]
    return (limit - len(_frame(empty, language, conflict))) // count


def _shown(quote: _Quote, n: int, language: str) -> str:
    """A quote as it appears in the answer: with … where it was cut, and its marker."""
    body = ("…" if quote.cut_left else "") + quote.text + ("…" if quote.cut_right else "")
    if language == "en":
        return f'"{body}" [{n}]'
    if body.endswith("."):
        return f"{body[:-1]} [{n}]."
    return f"{body} [{n}]"


def _frame(parts: list[str], language: str, conflict: bool) -> str:
    if language == "en":
        if conflict:
            return f"{CONFLICT_EN} According to the documents: {parts[0]}, but also: {parts[1]}."
        return f"According to the documents: {parts[0]}"
    text = " ".join(parts)
    return f"{text} {CONFLICT_SV}" if conflict else text


def _quote(reader: Reader, c: Candidate, limit: int) -> _Quote:
    """The sentence, or the window of its words richest in answer (numbers, question words), in `limit`."""
    s = c.sentence
    if len(s.text) <= limit:
        return _Quote(s.start, s.end, s.text)
    raw = c.passage.text[s.start : s.end]
    words = [(m.start(), m.end()) for m in _WORD.finditer(raw)]
    values = [reader.word_value(raw[a:b]) for a, b in words]
    best, best_value = (0, 1), float("-inf")
    for i in range(len(words)):
        j = i + 1
        while j < len(words) and words[j][1] - words[i][0] <= limit:
            j += 1
        value = sum(values[i:j]) - 0.01 * i  # among equals, the window nearer the sentence start
        if value > best_value:
            best, best_value = (i, j), value
    i, j = best
    start, end = words[i][0], words[j - 1][1]
    return _Quote(s.start + start, s.start + end, " ".join(raw[start:end].split()), i > 0, j < len(words))


# A word for quoting; a number written in digit groups ("250 000") is one word, so no cut falls inside it.
_WORD = re.compile(r"\d{1,3}(?:\s\d{3})+(?!\d)|\S+")


def _acronym_answer(reader: Reader) -> Answer | None:
    """"X står för Y [1]." from the first definition of the acronym in the passages, best passage first;
    failing one spelled exactly, the best one stated as the glossary reads it ("Nordkalottrådet (NKR)"),
    so an acronym the Förkortningar tab explains is explained in an answer too."""
    wanted = reader.question.acronym.casefold()
    for passage in reader.passages:
        for d in find_definitions(passage.text):
            if d.acronym.casefold() == wanted:
                return _definition_answer(reader.question, passage, d)
    stated = [(d, p) for p in reader.passages for d in stated_definitions(p.text) if d.acronym.casefold() == wanted]
    if stated:
        d, passage = max(stated, key=lambda found: found[0].score)  # the first of the best-spelled
        return _definition_answer(reader.question, passage, d)
    return None


def _definition_answer(q: Question, passage: Passage, d: Definition) -> Answer | None:
    """The answer naming the expansion, citing the sentence that defines it (or the definition itself)."""
    expansion = _collapsed(d.expansion)  # a stated expansion may run over a line break
    sentence = next((s for s in split_sentences(passage.text) if s.start <= d.start < s.end), None)
    if sentence and d.end <= sentence.end and len(sentence.text) <= FACT_MAX_CHARS:
        start, end = sentence.start, sentence.end
    else:
        start, end = d.start, d.end
    if q.language == "en":
        text = f'According to the documents, {d.acronym} stands for "{expansion}" [1].'
    else:
        text = f"{d.acronym} står för {expansion} [1]."
    if not _numbers_supported(text, [passage]):
        return None
    citation = Citation(1, passage, " ".join(passage.text[start:end].split()), start, end)
    return Answer(q.text, True, text, q.language, citations=[citation], question_type=q.type, kind="definition")


def _not_found(reader: Reader) -> Answer:
    """The not-found answer, citing the closest passages as such (the best sentence of each as the quote)."""
    q = reader.question
    closest: dict[str, Candidate] = {}
    for c in reader.candidates:
        if len(closest) < CLOSEST:
            closest.setdefault(c.passage.chunk.id, c)
    citations = [
        Citation(n, c.passage, c.sentence.text, c.sentence.start, c.sentence.end)
        for n, c in enumerate(closest.values(), 1)
    ]
    text = NOT_FOUND_EN if q.language == "en" else NOT_FOUND_SV
    if citations:
        refs = _join_refs([f"[{c.n}]" for c in citations], q.language)
        text += " " + (CLOSEST_EN if q.language == "en" else CLOSEST_SV).format(refs=refs)
    reason = "contentless" if q.contentless else "no_answer"
    return Answer(q.text, False, text, q.language, citations=citations, question_type=q.type, decline_reason=reason)


def _join_refs(refs: list[str], language: str) -> str:
    if len(refs) == 1:
        return refs[0]
    return ", ".join(refs[:-1]) + (" and " if language == "en" else " och ") + refs[-1]
