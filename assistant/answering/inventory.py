"""What the documents are: "Vilka projekt finns?", "Vilka dokument har du?", "What documents are there?".

A new employee's first question is about the knowledge base itself, not about anything in it. No passage says
which documents were ingested, so retrieval finds nothing to answer with; the store's catalog knows. A question
whose every word is a word for the documents ("projekt", "dokumenten", "källor"), for asking what there is
("vilka", "finns", "handlar") or a name their metadata holds ("Vilka projekt finns i Norrbotten?": a title,
organisation or region naming every subject) is answered with those documents, one line
each — title, type, organisation and date from its metadata — each citing the document's first passage that
holds the line's numbers (its opening passage when there are none).

    listed = inventory_answer(question, documents)   # (text, citations); None when it asks about something else
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer import Citation, Passage
from assistant.answering.questions import Question, subject_phrases
from assistant.answering.subjects import SubjectTies
from assistant.answering.values import numbers_in
from ingest.swedish.analysis import tokenize
from ingest.swedish.sentences import split_sentences

# More documents than this are counted, not listed: the chat's document list shows them all.
MAX_LISTED = 15
# Words for the documents, as written: a question made only of these and of words asking what there is is about
# the knowledge base. Forms, not stems: "projektera" shares its stem with "projekt".
_CORPUS = frozenset(
    "projekt projekten dokument dokumenten källa källor källorna underlag kunskapsbas kunskapsbasen "
    "kunskapsbank kunskapsbanken databas databasen fil filer filerna texter texterna rapport rapporter "
    "rapporterna material samling samlingen handlingar handlingarna projects documents sources files texts "
    "reports".split()
)
_ABOUT = frozenset(
    "vilka vilken vad finns ingår innehåller beskrivs beskriver handlar nämns lagrade lagras sparade har du ni "
    "jag vi kan svara svar alla olika om i på med som det de är there are is have has do does you we i can "
    "which what in the of all about contain contains describe described exist available stored knowledge base "
    "any".split()
)
# One document or project named as known ("Vad handlar projektet om?"): a follow-up about it, not the whole base.
_ONE = frozenset(
    "projektet dokumentet rapporten filen texten källan underlaget materialet project document report file text "
    "source".split()
)

LEAD_SV = "Dokumenten i kunskapsbasen:"
LEAD_EN = "The documents in the knowledge base:"
LEAD_ON_SV = "Dokumenten i kunskapsbasen som rör {names}:"
LEAD_ON_EN = "The documents in the knowledge base on {names}:"
MORE_SV = "… och {n} till (alla listas under Dokument)."
MORE_EN = "… and {n} more (all are listed under Documents)."


def asks_inventory(question: Question) -> bool:
    """Whether the question asks which documents there are, naming at most what their metadata may hold
    ("Vilka projekt finns i Norrbotten?")."""
    if question.summary:
        return False
    named = {t for subject in question.subjects for t in subject}
    tokens = set(tokenize(question.text)) - named
    return bool(tokens & _CORPUS) and tokens <= _CORPUS | _ABOUT and not tokens & _ONE


def inventory_answer(
    question: Question, documents: Callable[[], list[list[Passage]]]
) -> tuple[str, list[Citation]] | None:
    """The documents as a list answer with one citation each, or None if the question is not about them —
    or names something no document's title, organisation or region holds.

    `documents` gives every document's passages in its order (called only for a question about them).
    """
    if not asks_inventory(question):
        return None
    ties = SubjectTies(question, [])
    opened = sorted(
        (d for d in documents() if d and ties.names_subject(_metadata(d[0]))),
        key=lambda d: d[0].chunk.meta.title.casefold(),
    )
    if not opened:
        return None
    english = question.language == "en"
    names = (" and " if english else " och ").join(subject_phrases(question.text))
    lead = (LEAD_ON_EN if english else LEAD_ON_SV).format(names=names) if names else (LEAD_EN if english else LEAD_SV)
    lines = [lead]
    citations = []
    for n, passages in enumerate(opened[:MAX_LISTED], start=1):
        line, cited = _described(passages)
        sentence = next(iter(split_sentences(cited.text)), None)
        start, end = (sentence.start, sentence.end) if sentence else (0, min(len(cited.text), 200))
        citations.append(Citation(n, cited, " ".join(cited.text[start:end].split()), start, end))
        lines.append(f"- {line} [{n}]")
    if len(opened) > MAX_LISTED:
        lines.append((MORE_EN if english else MORE_SV).format(n=len(opened) - MAX_LISTED))
    return "\n".join(lines), citations


def _metadata(passage: Passage) -> str:
    """What a document's metadata names: its title, organisation and region."""
    meta = passage.chunk.meta
    return f"{meta.title} {meta.organisation} {meta.region}"


def _described(passages: list[Passage]) -> tuple[str, Passage]:
    """ "Title (type, organisation, date)" from a document's metadata, and the passage to cite: its first one
    holding every number of the line (a title's year) — without the date when none holds it."""
    meta = passages[0].chunk.meta
    about = [part for part in (meta.doc_type, meta.organisation) if part and part != "dokument"]
    for parts in ([*about, meta.date] if meta.date else about, about):
        line = f"{meta.title} ({', '.join(parts)})" if parts else meta.title
        numbers = numbers_in(line)
        cited = next((p for p in passages if all(n in p.text for n in numbers)), None)
        if cited is not None:
            return line, cited
    return line, passages[0]
