"""Real questions over the bundled corpus, end to end: real store, real embedder, hybrid retrieval.

Each case names facts the answer must hold and the document it must cite. Every answer is also checked
for the product's promises: short, cited, and every number in it present in a cited passage.
"""

from __future__ import annotations

import re

import pytest

from assistant.answer import NOT_FOUND_EN, NOT_FOUND_SV
from assistant.assistant import Assistant
from regionkunskap.errors import QuestionError
from regionkunskap.settings import Settings

# Every test asks the assistant over the corpus store: the real e5 model.
pytestmark = pytest.mark.slow

GREEN_DEAL = "north-sweden-green-deal.txt"
VNORR = "vasternorrland-hso-och-sam.txt"
HRU = "hallbar-regional-utveckling-hru.txt"
VAGAR = "vagar-till-hallbar-utveckling-finansiering.txt"
REPORT = "region-norrbotten-aterrapportering-2022.txt"

ANSWERABLE = [
    # budgets and amounts
    ("Hur stor är den totala budgeten för The North Sweden Green Deal?", ["112,5 miljoner"], GREEN_DEAL),
    ("Hur mycket finansierar EU:s regionala fond North Sweden Green Deal med?", ["56 miljoner"], GREEN_DEAL),
    # periods and dates
    ("Under vilka år pågår North Sweden Green Deal?", ["2022", "2023"], GREEN_DEAL),
    ("När startar SAM?", ["februari 2024"], VNORR),
    ("När slutar projektet SAM?", ["21 december 2026"], VNORR),
    ("När genomförs uppdragsutbildningen i hållbar regional utveckling?", ["mars 2022"], HRU),
    # owners, partners, people
    ("Vilka äger North Sweden Green Deal?", ["Region Västerbotten", "Region Norrbotten"], GREEN_DEAL),
    ("Vem är projektägare för HSO?", ["Härnösands kommun"], VNORR),
    ("Vem är projektägare för SAM?", ["Sundsvalls kommun"], VNORR),
    ("Vilka kommuner deltar i Norrbottens delprojekt i North Sweden Green Deal?", ["Boden", "Kiruna"], GREEN_DEAL),
    ("Vem är regional utvecklingsdirektör i Västernorrland?", ["Märta Molin"], VNORR),
    ("Vem är tillväxtchef i Kramfors kommun?", ["Susanne Königson"], VNORR),
    ("Vem kan man kontakta om insatsområdet finansiering?", ["Greta Isaksson"], VAGAR),
    ("Vilken pilotkommun arbetar med insatsområdet Hållbara platser?", ["Vilhelmina"], HRU),
    # counts and shares
    ("Hur många arbetspaket har HSO?", ["fyra"], VNORR),
    ("Hur många bolag finns inom spelindustrin i Kramfors och Höga Kusten?", ["tio bolag"], VNORR),
    ("Hur många organisationer får vara piloter för hållbarhet?", ["Tre organisationer"], HRU),
    # acronyms (FRO's definition sits in the återrapportering's repaired text)
    ("Vad står HRU för?", ["Hållbar regional utveckling"], HRU),
    ("Vad står ERUF för?", ["Europeiska regionala utvecklingsfonden"], REPORT),
    ("Vad betyder FRO?", ["Fonden för en rättvis omställning"], REPORT),
    # the återrapportering's repaired text
    ("Hur många butiker och drivmedelsstationer besöktes?", ["45 butiker"], REPORT),
    ("Vilket diarienummer har Region Norrbottens återrapportering?", ["RUN 00060-2022"], REPORT),
    ("Hur många företag beviljades investeringsstöd?", ["125 företag"], REPORT),
    # compounds and inflections the text does not use
    ("Vad är totalbudgeten för North Sweden Green Deal?", ["112,5"], GREEN_DEAL),
    ("Hur många anställda har spelbolagen i Kramfors?", ["trettio anställda"], VNORR),
    ("Vilken kommun äger samhällsomställningsprojektet HSO?", ["Härnösands kommun"], VNORR),
    # English questions: English framing, Swedish quotes
    ("Who owns the SAM project?", ["Sundsvalls kommun"], VNORR),
    ("How large is the budget of The North Sweden Green Deal?", ["112,5"], GREEN_DEAL),
]

UNANSWERABLE = [
    "Hur stor är budgeten för SAM?",
    "Vem är landshövding i Norrbotten?",
    "Hur mycket kostar HRU-projektet?",
    "Vad kostade projektet Form och Designcenter i Norr?",
    # The document gives her e-mail address only: naming her is no answer to a question for her number.
    "Vad har Greta Isaksson för telefonnummer?",
]

NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*")


@pytest.fixture(scope="module")
def assistant(corpus_store, e5_embedder) -> Assistant:
    return Assistant(Settings(store=corpus_store.data_dir), store=corpus_store, embedder=e5_embedder)


def numbers_in(text: str) -> set[str]:
    """Numbers of an answer, without its [n] citation markers."""
    return {m.group(0) for m in NUMBER.finditer(re.sub(r"\[\d+\]", "", text))}


def assert_promises(answer) -> None:
    """What holds for every answer: cited, short, numbers backed by the cited passages."""
    assert answer.citations, "an answer always cites"
    cited = " ".join(" ".join(c.passage.text.split()) for c in answer.citations)
    for number in numbers_in(answer.text):
        assert number in cited, f"{number!r} is not in a cited passage: {answer.text}"
    for c in answer.citations:
        assert f"[{c.n}]" in answer.text
        assert " ".join(c.passage.text[c.quote_start : c.quote_end].split()) == c.quote


def holds_facts(answer, facts: list[str], document: str) -> bool:
    return (
        answer.answered
        and all(f in answer.text for f in facts)
        and document in {c.passage.chunk.doc_id for c in answer.citations}
    )


@pytest.fixture(scope="module")
def answers(assistant) -> dict[str, object]:
    return {q: assistant.ask(q) for q in [*(q for q, _, _ in ANSWERABLE), *UNANSWERABLE]}


# The answer step is learned (`assistant/answering/scorer.py`): whether one question is answered is a matter of
# its calibrated confidence, so the set is held to rates, measured when the weights were last trained
# (24 of 28 answered with the fact, 1 confident wrong answer of 33 on 2026-12-03 — README, "Quality").
def test_most_answerable_questions_are_answered_with_their_fact_and_document(answers):
    missed = [q for q, facts, doc in ANSWERABLE if not holds_facts(answers[q], facts, doc)]
    assert len(missed) <= 0.25 * len(ANSWERABLE), missed


def test_confident_wrong_answers_stay_rare(answers):
    wrong = [q for q, facts, doc in ANSWERABLE if answers[q].answered and not holds_facts(answers[q], facts, doc)]
    wrong += [q for q in UNANSWERABLE if answers[q].answered]
    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize("question", [q for q, _, _ in ANSWERABLE] + UNANSWERABLE)
def test_every_answer_is_short_cited_and_backed_by_its_passages(answers, question):
    answer = answers[question]
    if answer.answered:
        assert len(re.sub(r"\[\d+\]", "", answer.text)) <= 300 + 40  # + the English frame or conflict note
        assert_promises(answer)
    else:
        assert answer.text.startswith((NOT_FOUND_SV, NOT_FOUND_EN)) and answer.decline_reason
        assert not numbers_in(re.sub(r"^[^.]*\.", "", answer.text)) - {"1", "2", "3"}


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_questions_are_declined_and_show_the_closest_passages(answers, question):
    answer = answers[question]
    assert not answer.answered
    assert answer.text.startswith(NOT_FOUND_SV)
    assert answer.passages, "the closest passages are still listed"


def test_english_questions_get_an_english_frame_around_swedish_quotes(assistant):
    answer = assistant.ask("How large is the budget of The North Sweden Green Deal?")
    assert answer.language == "en" and answer.text.startswith("According to the documents")
    assert "112,5 miljoner kronor" in answer.citations[0].quote
    declined = assistant.ask("What is the budget of SAM?")
    assert not declined.answered and declined.text.startswith(NOT_FOUND_EN)


def test_other_languages_get_a_polite_note_in_swedish_and_english(assistant):
    answer = assistant.ask("Wie hoch ist das Budget von SAM?")
    assert not answer.answered and answer.language == "de"
    assert "svenska" in answer.text and "English" in answer.text


@pytest.mark.xfail(
    reason="issue 9 open: the rival period scores far below the best, and the confidence (0.58) declines",
    strict=False,
)
def test_sources_that_disagree_are_both_shown(assistant):
    answer = assistant.ask("Mellan vilka år pågår HSO?")
    assert answer.conflict
    assert "2026" in answer.text and "30 april 2027" in answer.text
    assert len(answer.citations) >= 2
    assert "skiljer sig" in answer.text


def test_a_follow_up_keeps_the_subject(assistant):
    answer = assistant.ask("Och när slutar det?", history=["Vem är projektägare för SAM?"])
    assert answer.resolved_question == "Och när slutar det? SAM"
    assert answer.passages[0].chunk.doc_id == VNORR


def test_a_follow_up_is_answered_from_the_subjects_passages(assistant):
    answer = assistant.ask("Och när slutar det?", history=["Vem är projektägare för SAM?"])
    assert answer.answered and "21 december 2026" in answer.text


def test_a_bare_follow_up_without_a_pronoun_keeps_the_subject(assistant):
    answer = assistant.ask("Vem är projektägare?", history=["När startar SAM?"])
    assert answer.answered and "Sundsvalls kommun" in answer.text
    assert "Härnösands kommun" not in answer.text  # HSO's owner, in the same document


def test_a_list_question_gets_the_items_as_a_list_with_their_lead_in(assistant):
    answer = assistant.ask("Vilka partners är med i North Sweden Green Deal?")
    assert answer.answered and answer.kind == "list", answer.text
    for partner in ("Skellefteå kommun", "Region Norrbotten", "Kiruna", "LTU"):
        assert partner in answer.text, answer.text
    assert answer.text.count("\n- ") >= 2, "shown as a Markdown list"
    assert {c.passage.chunk.doc_id for c in answer.citations} == {GREEN_DEAL}
    assert_promises(answer)


def test_a_summary_of_a_report_quotes_several_of_its_own_sentences_not_the_forms_instructions(assistant):
    answer = assistant.ask("Sammanfatta återrapporteringen för 2022")
    assert answer.answered and answer.kind == "overview", answer.text
    assert 2 <= len(answer.citations) <= 4
    assert {c.passage.chunk.doc_id for c in answer.citations} == {REPORT}
    assert len(re.sub(r"\[\d+\]", "", answer.text)) <= 700 + 40
    assert "§" not in answer.text and "förordning" not in answer.text.lower()
    assert_promises(answer)


@pytest.mark.parametrize(
    "question", ["Vilka projekt finns?", "Vad handlar dokumenten om?", "What documents are there?"]
)
def test_a_question_for_the_documents_lists_each_with_its_title_and_a_citation(assistant, question):
    answer = assistant.ask(question)
    documents = assistant.store.documents()
    assert answer.answered and answer.kind == "list" and len(answer.citations) == len(documents)
    assert {c.passage.chunk.doc_id for c in answer.citations} == {d.doc_id for d in documents}
    for d in documents:
        assert d.meta["title"] in answer.text
    assert_promises(answer)


def test_an_acronym_the_documents_use_but_never_spell_out_is_answered_as_a_likelihood(assistant):
    answer = assistant.ask("Vad betyder RUS?")
    assert answer.answered and "troligen" in answer.text and "regionala utvecklingsstrategin" in answer.text
    assert answer.citations[0].passage.chunk.doc_id == REPORT
    assert_promises(answer)


def test_a_question_for_the_documents_on_a_region_lists_those_whose_metadata_names_it(assistant):
    answer = assistant.ask("Vilka projekt finns i Västerbotten?")
    assert answer.answered and "Västerbotten" in answer.text.splitlines()[0]
    assert {c.passage.chunk.doc_id for c in answer.citations} == {HRU, GREEN_DEAL}
    assert_promises(answer)


def test_a_question_for_documents_on_a_region_none_is_about_is_not_answered_from_the_catalog(assistant):
    answer = assistant.ask("Vilka projekt finns i Skåne?")
    assert "kunskapsbasen" not in answer.text


def test_filters_narrow_retrieval_to_matching_documents(assistant):
    answer = assistant.ask("Vem är projektägare?", filters={"region": "Västernorrland"})
    assert {p.chunk.doc_id for p in answer.passages} == {VNORR}
    by_year = assistant.ask("budget", filters={"year": "2021"})
    assert {p.chunk.doc_id for p in by_year.passages} == {VAGAR}
    by_doc = assistant.ask("budget", filters={"document": GREEN_DEAL})
    assert {p.chunk.doc_id for p in by_doc.passages} == {GREEN_DEAL}
    nothing = assistant.ask("Vem är projektägare för SAM?", filters={"region": "Skåne"})
    assert not nothing.answered and nothing.passages == []


def test_bad_questions_and_filters_are_clear_errors(assistant):
    from regionkunskap.errors import ConfigError

    with pytest.raises(QuestionError, match="empty"):
        assistant.ask("   ")
    with pytest.raises(QuestionError, match="limit"):
        assistant.ask("x" * 2000)
    with pytest.raises(ConfigError, match="unknown filter"):
        assistant.ask("budget", filters={"färg": "blå"})


def test_timings_are_reported_per_stage(assistant):
    answer = assistant.ask("Vem är projektägare för SAM?")
    assert {"embed", "dense", "bm25", "retrieve", "answer", "total"} <= set(answer.timings_ms)
    assert answer.timings_ms["total"] >= answer.timings_ms["answer"]


def test_a_question_with_decomposed_diacritics_is_answered_like_its_composed_form(assistant):
    import unicodedata

    composed = assistant.ask("Vem är projektägare för SAM?")
    decomposed = assistant.ask(unicodedata.normalize("NFD", "Vem är projektägare för SAM?"))
    assert decomposed.answered and decomposed.text == composed.text


def test_the_answer_reads_the_chats_passages_whatever_k_is(assistant):
    shown = assistant.ask("Vem är projektägare för SAM?")
    deeper = assistant.ask("Vem är projektägare för SAM?", k=10)
    assert len(deeper.passages) == 10 and len(shown.passages) == assistant.settings.top_k
    assert deeper.text == shown.text


def test_the_answer_is_composed_from_answer_k_passages_and_top_k_are_listed(assistant):
    narrow = Assistant(
        assistant.settings.model_copy(update={"answer_k": 1}), store=assistant.store, embedder=assistant.embedder
    )
    answer = narrow.ask("Hur stor är budgeten för North Sweden Green Deal?")
    assert len(answer.passages) == assistant.settings.top_k
    assert {c.passage.chunk.id for c in answer.citations} <= {answer.passages[0].chunk.id}


def test_documents_ingested_while_the_assistant_runs_are_found_without_a_restart(tmp_path, e5_embedder):
    from ingest.indexing.store import Store
    from ingest.pipeline import Ingestor

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Projekt Alfa\n\nProjektet Alfa ägs av Kiruna kommun.\n", encoding="utf-8")

    def ingest():
        report = Ingestor(
            Store(tmp_path / "store"),
            embedder_spec="e5-small",
            model_cache=tmp_path,
            embedder=e5_embedder,
            progress=False,
        ).run([docs])
        assert report.ok, report.skipped

    ingest()
    # follow_interval=0: check the store on every question. With the default (at most one check a second), the
    # second question below comes too soon after the first whenever the ingest between them takes under a
    # second, as it does once the reader process is warm. How soon a chat follows is another test's subject
    # (tests/reliability/test_readers_follow_writers.py).
    running = Assistant(Settings(store=tmp_path / "store", follow_interval=0), embedder=e5_embedder)
    assert not running.ask("Vem äger projektet Beta?").answered
    (docs / "b.txt").write_text("Projekt Beta\n\nProjektet Beta ägs av Gällivare kommun.\n", encoding="utf-8")
    ingest()
    answer = running.ask("Vem äger projektet Beta?")
    assert answer.answered and "Gällivare kommun" in answer.text
