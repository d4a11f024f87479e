"""The glossary: acronyms found by code in the stored chunks, with the expansion whose initials spell them
best and a citation each. Nothing in it is typed in by hand."""

from __future__ import annotations

import pytest

from assistant.chat.glossary import build_glossary, definitions_in
from ingest.types import Chunk, DocumentMeta


def chunk(text: str, title: str = "Testdokument", page: int | None = 3, heading: tuple[str, ...] = ()) -> Chunk:
    meta = DocumentMeta(doc_id="test.txt", title=title)
    return Chunk(
        id=Chunk.make_id("test.txt", text),
        doc_id="test.txt",
        text=text,
        heading_path=heading,
        start=0,
        end=len(text),
        page=page,
        page_end=page,
        language="sv",
        meta=meta,
    )


def glossary_of(*texts: str) -> dict:
    return {e.acronym: e for e in build_glossary(chunk(t) for t in texts)}


# --- the patterns ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, acronym, expansion",
    [
        ("Projektet Hållbar samhällsomställning, HSO, pågår till 2026.", "HSO", "Hållbar samhällsomställning"),
        (
            "Medel från Europeiska regionala utvecklingsfonden (ERUF) har sökts.",
            "ERUF",
            "Europeiska regionala utvecklingsfonden",
        ),
        ("Projekt Hållbar regional utveckling (HRU) genomförs i Västerbotten.", "HRU", "Hållbar regional utveckling"),
        (
            "Regionen deltar i nätverket LINN (Lärcentrum i norra Norrland) sedan länge.",
            "LINN",
            "Lärcentrum i norra Norrland",
        ),
        ("Samverkan sker i RIG – Regional Input Group och i Styrkommittén.", "RIG", "Regional Input Group"),
        (
            "Stöd ges ur Fonden för en rättvis omställning (FRO) under perioden.",
            "FRO",
            "Fonden för en rättvis omställning",
        ),
    ],
)
def test_each_definition_pattern_is_read(text, acronym, expansion):
    entry = glossary_of(text)[acronym]
    assert entry.expansion == expansion
    assert entry.sentence == text and not entry.inferred


def test_the_expansion_starts_where_the_initials_do():
    # "Projekt" and "Systerprojektet" precede the name but give no letter: they are left out.
    entries = glossary_of("Systerprojektet Stärkt attraktionskraft och mottagningskapacitet, SAM, syftar till mycket.")
    assert entries["SAM"].expansion == "Stärkt attraktionskraft och mottagningskapacitet"


def test_things_that_are_not_definitions_are_skipped():
    text = (
        "Med i styrgruppen var Vattenfall, SSAB, LKAB och Myndigheten (MYH) för yrkeshögskolan. "
        "Del II (II) beskriver Develoop (ERUF) och kapitel IV."
    )
    assert definitions_in(chunk(text)) == []


def test_the_best_of_several_definitions_wins():
    entries = glossary_of(
        "Ung Företagsamhet i Norrbotten (UF) deltar.",
        "Arbetet drivs av Ung Företagsamhet (UF) i hela länet.",
    )
    assert entries["UF"].expansion == "Ung Företagsamhet"


def test_an_acronym_only_used_is_inferred_from_the_phrase_its_passages_spell_it_with():
    entries = glossary_of(
        "RUS: Projektet överensstämmer med den regionala utvecklingsstrategin.",
        "Insatsen bidrar till RUS och till regionala utvecklingsstrategin i stort.",
    )
    assert entries["RUS"].expansion == "regionala utvecklingsstrategin"
    assert entries["RUS"].display_expansion == "Regionala utvecklingsstrategin"
    assert entries["RUS"].inferred


def test_two_letter_acronyms_are_never_inferred_by_chance():
    assert "EU" not in glossary_of("Beskriv eventuella utmaningar med EU och dess program.")


# --- over the real corpus ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_glossary(corpus_store):
    return {e.acronym: e for e in build_glossary(corpus_store.chunks().values())}


@pytest.mark.slow
@pytest.mark.parametrize(
    "acronym, expansion",
    [
        ("HSO", "Hållbar samhällsomställning"),
        ("SAM", "Stärkt attraktionskraft och mottagningskapacitet"),
        ("HRU", "Hållbar regional utveckling"),
        ("ERUF", "Europeiska regionala utvecklingsfonden"),
        ("RUN", "Regionala utvecklingsnämnden"),
        ("FRO", "Fonden för en rättvis omställning"),
        ("RUS", "Regionala utvecklingsstrategin"),
        ("ESF", "Europeiska socialfonden"),
    ],
)
def test_the_corpus_acronyms_are_found_with_their_expansions(corpus_glossary, acronym, expansion):
    assert corpus_glossary[acronym].display_expansion == expansion


@pytest.mark.slow
def test_every_corpus_entry_cites_a_document_and_a_sentence_naming_it(corpus_glossary, corpus_store):
    titles = {d.meta["title"] for d in corpus_store.documents()}
    chunks = corpus_store.chunks()
    for entry in corpus_glossary.values():
        assert entry.title in titles
        assert entry.chunk_id in chunks
        cited = chunks[entry.chunk_id]
        in_text = entry.sentence in " ".join(cited.text.split())
        assert entry.sentence and (in_text or entry.sentence in cited.heading_path)
        if not entry.inferred:
            assert entry.acronym in entry.sentence
        assert entry.expansion.split()[0].casefold() in " ".join((entry.sentence, *cited.heading_path)).casefold()


@pytest.mark.slow
def test_the_corpus_has_no_made_up_entries(corpus_glossary):
    assert "EU" not in corpus_glossary  # used everywhere, defined nowhere, and two letters spell anything
    assert "SSAB" not in corpus_glossary and "LKAB" not in corpus_glossary  # company names in lists
