"""Summaries of a whole document: which requests get one, and which of its sentences are quoted.

Passages are hand-made, with sentence vectors chosen so that each case shows one rule: a section is
represented by its most typical sentence, prompts and fragments are never quoted, and a document without
sections gets central sentences that do not repeat each other.
"""

from __future__ import annotations

import numpy as np

from assistant.answer import Passage
from assistant.answering.overview import MAX_CHARS
from assistant.answering.questions import read_question
from assistant.answering.summary import summarize, summarized_document
from ingest.indexing.unit_vectors import pack
from ingest.swedish.sentences import split_sentences
from ingest.types import Chunk, DocumentMeta

REPORT = DocumentMeta(
    doc_id="rapport",
    title="Återrapportering av villkorsbeslut 2022 – Region Norrbotten",
    organisation="Region Norrbotten",
    doc_type="återrapportering",
    year=2022,
)
PROJECT = DocumentMeta(doc_id="projekt", title="The North Sweden Green Deal", doc_type="projektbeskrivning")
DIM = 8


def axis(i: int, spread: float = 0.0, j: int = 7) -> np.ndarray:
    v = np.zeros(DIM)
    v[i], v[j] = 1.0, spread
    return v


def passage(meta: DocumentMeta, text: str, vectors: list[np.ndarray], section: str = "", start: int = 0) -> Passage:
    assert len(split_sentences(text)) == len(vectors), "one vector per unit"
    heading = (section,) if section else ()
    chunk = Chunk(
        Chunk.make_id(meta.doc_id, text),
        meta.doc_id,
        text,
        heading,
        start,
        start + len(text),
        None,
        None,
        "sv",
        meta,
        unit_vectors=pack(np.array(vectors)),
    )
    return Passage(chunk=chunk, score=0.0, rank=0)


def test_a_summary_request_naming_a_document_by_its_metadata_gets_that_document():
    found = [passage(PROJECT, "Projektet pågår 2022.", [axis(0)]), passage(REPORT, "Regionen har arbetat.", [axis(1)])]
    for request in ("Sammanfatta återrapporteringen för 2022", "Ge en översikt av Region Norrbottens återrapportering"):
        assert summarized_document(read_question(request), found) == "rapport", request
    assert summarized_document(read_question("Sammanfatta North Sweden Green Deal"), found) == "projekt"


def test_a_summary_of_a_topic_or_an_overview_question_is_no_document_summary():
    found = [passage(REPORT, "Regionen har arbetat med kompetensförsörjning.", [axis(1)])]
    assert summarized_document(read_question("Sammanfatta arbetet med kompetensförsörjning 2022"), found) is None
    assert summarized_document(read_question("Vad handlar återrapporteringen för 2022 om?"), found) is None
    assert summarized_document(read_question("Sammanfatta dokumentet"), found) is None


def test_a_document_with_sections_gets_the_most_typical_sentence_of_each_in_its_order():
    # Each section: two sentences near its own direction (the first nearer), one near what every section says.
    sections = {
        "Fördelning av anslag": (
            "Anslaget fördelades till projekt och företagsstöd under året. "
            "Anslaget gick till fler projekt än förra året i länet. "
            "Regionen har arbetat brett med många frågor under året."
        ),
        "Samverkan": (
            "Samverkan med länsstyrelsen sker i flera forum varje år. "
            "Samverkan med kommunerna har skett i regionala nätverk. "
            "Regionen har arbetat brett med många frågor i samverkan."
        ),
    }
    grant, partners = (
        passage(REPORT, text, [axis(i, 0.1), axis(i, 0.3), axis(7)], section=name, start=500 * (1 - i))
        for i, (name, text) in enumerate(sections.items())
    )
    chosen = [s.text for _, s in summarize([grant, partners], DIM)]
    assert chosen == [
        "Samverkan med länsstyrelsen sker i flera forum varje år.",
        "Anslaget fördelades till projekt och företagsstöd under året.",
    ]


def test_prompts_and_fragments_are_never_quoted():
    form = passage(
        REPORT,
        "Hur arbetet med strategin har bedrivits och vilka resultat det gav.\n\n"
        "regionen har sedan dess arbetat vidare med strategin\n\n"
        "Strategin har följts upp av regionen i samråd med kommunerna.\n\n"
        "Strategin har förankrats i länets kommuner under hösten.",
        [axis(2), axis(2), axis(2, 0.2), axis(2, 0.4)],
    )
    chosen = [s.text for _, s in summarize([form], DIM)]
    assert chosen and all(t[0].isupper() and t.endswith(".") and not t.startswith("Hur") for t in chosen)


def test_a_document_without_sections_gets_central_sentences_that_do_not_repeat_each_other():
    text = (
        "Projektet stärker den gröna omställningen i norra Sverige. "
        "Projektet stärker den gröna omställningen i hela norra Sverige. "
        "Kommunerna bygger kapacitet för nya etableringar i länen. "
        "Budgeten är 112,5 miljoner kronor för hela projektperioden."
    )
    chosen = summarize([passage(PROJECT, text, [axis(3), axis(3), axis(3, 0.9, 4), axis(5)])], DIM)
    texts = [s.text for _, s in chosen]
    assert 2 <= len(texts) <= 4 and sum(len(t) for t in texts) <= MAX_CHARS
    assert texts[0] == "Projektet stärker den gröna omställningen i norra Sverige."
    assert "Projektet stärker den gröna omställningen i hela norra Sverige." not in texts
