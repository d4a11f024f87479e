"""What the chat's events do, without the browser: a turn shows its answer at once, keeps its own sources,
filters narrow it and a filtered decline offers to ask without them, refused questions leave no trace,
conversations survive a reload and can be switched, ratings take a comment, documents open at the
cited sentence. Runs the real assistant over the real corpus store."""

from __future__ import annotations

import pickle

import gradio as gr
import pytest

from assistant.chat.backend import ChatBackend, chat_messages
from assistant.chat.conversation import ChatSession
from assistant.chat.corpus import CorpusView
from assistant.chat.feedback import read_feedback
from assistant.chat.saved import session_to_json

pytestmark = pytest.mark.slow
BUDGET = "Hur stor är budgeten för North Sweden Green Deal?"


@pytest.fixture(scope="module")
def backend(chat_assistant, tmp_path_factory):
    settings = chat_assistant.settings.model_copy(
        update={"feedback_log": tmp_path_factory.mktemp("backend") / "feedback.jsonl"}
    )
    return ChatBackend(chat_assistant, settings)


def run_turn(backend, session, question, documents=None, regions=None, years=None) -> list[tuple]:
    return list(backend.respond(question, session, documents, regions, years))


def bot_texts(updates: list[tuple]) -> list[str]:
    """The last chat bubble's text in each update that redraws the chat."""
    return [u[1][-1]["content"] for u in updates if isinstance(u[1], list) and u[1]]


def test_the_question_shows_at_once_then_the_whole_answer_no_replay(backend):
    session = ChatSession()
    updates = run_turn(backend, session, BUDGET)

    assert len(updates) == 2  # "…" while the assistant works, then the answer: nothing replayed word by word
    assert bot_texts(updates)[0] == "…"
    answer = bot_texts(updates)[1]
    assert "112,5" in answer and 'class="rk-cite" title="Källa 1: The North Sweden Green Deal' in answer
    assert '<mark class="rk-hit">' in updates[-1][2] and "112,5" in updates[-1][2]  # the sources panel
    assert updates[-1][4]["conversations"][0]["turns"][0]["q"] == BUDGET  # the browser's copy


def test_each_turn_keeps_its_own_citations_and_a_click_on_n_shows_them(backend):
    session = ChatSession()
    run_turn(backend, session, BUDGET)
    run_turn(backend, session, "Vilken kommun är projektägare för SAM?")
    first, second = session.current.answer_of(0), session.current.answer_of(1)

    assert first.citations[0].passage.chunk.meta.title == "The North Sweden Green Deal"
    assert "SAM" in second.citations[0].passage.chunk.meta.title
    panel, _ = backend.show_turn(session, gr.SelectData(None, {"index": 1, "value": ""}))  # 2nd message
    assert 'data-turn="0"' in panel and "112,5" in panel and "Sundsvalls kommun" not in panel
    panel, _ = backend.show_citation(session, gr.EventData(None, {"turn": 1, "n": 1}))
    assert (
        'data-turn="1"' in panel and "Sundsvalls kommun" in panel and '<details class="rk-source rk-n1" open>' in panel
    )


def test_a_document_filter_narrows_retrieval_to_that_document(backend, chat_assistant):
    hru = next(d.doc_id for d in chat_assistant.store.documents() if "HRU" in d.meta["title"])
    session = ChatSession()
    run_turn(backend, session, BUDGET, documents=[hru])

    answer = session.current.answer_of(0)
    assert "112,5" not in answer.text
    assert {c.passage.chunk.doc_id for c in answer.citations} <= {hru}


def test_region_and_year_filters_narrow_retrieval(backend):
    session = ChatSession()
    run_turn(backend, session, "Vilken kommun är projektägare för SAM?", regions=["Västernorrland"], years=[2024])
    assert {c.passage.chunk.meta.region for c in session.current.answer_of(0).citations} == {"Västernorrland"}


def test_a_decline_under_a_filter_says_so_and_offers_to_ask_without_it(backend):
    session = ChatSession()
    updates = run_turn(backend, session, "Vilken kommun är projektägare för SAM?", regions=["Västerbotten"])
    assert not session.current.answer_of(0).answered
    assert "begränsad av filtret (Region: Västerbotten)" in bot_texts(updates)[-1]
    assert updates[-1][7]["visible"] is True  # "Fråga utan filter"

    documents, regions, years, question = backend.without_filters(session)
    assert (documents, regions, years, question) == ([], [], [], "Vilken kommun är projektägare för SAM?")
    updates = run_turn(backend, session, question, documents, regions, years)
    assert "Sundsvalls kommun" in session.current.answer_of(1).text and updates[-1][7]["visible"] is False


def test_a_refused_question_is_shown_and_forgotten_and_never_grows_the_session(backend):
    session = ChatSession()
    run_turn(backend, session, "Vilken kommun är projektägare för SAM?")
    size = len(pickle.dumps(session))
    huge = "Vilken kommun är projektägare för SAM? " * (1_000_000 // 39)  # ~1 MB
    for _ in range(500):
        updates = run_turn(backend, session, huge)
    assert len(updates) == 1 and updates[0][6].startswith("⚠️ Frågan är för lång")
    assert updates[0][1] is not None and not isinstance(updates[0][1], list)  # the chat is not redrawn with it
    assert len(pickle.dumps(session)) == size
    assert len(session.current.turns) == 1 and session.current.history() == ["Vilken kommun är projektägare för SAM?"]
    assert run_turn(backend, session, "   ")[0][6].startswith("⚠️ Skriv en fråga först")


def test_a_reload_restores_the_conversation_and_its_follow_up_context(backend):
    session = ChatSession()
    run_turn(backend, session, "Vilken kommun är projektägare för SAM?")
    stored = session_to_json(session)

    chat, panel, restored, choices, *_ = backend.restore(stored, ChatSession())
    assert "Sundsvalls kommun" in chat[1]["content"] and 'data-turn="0"' in panel
    assert choices["value"] == session.current.id
    run_turn(backend, restored, "Och vilken är projektperioden?")
    assert "2026" in restored.current.answer_of(1).text


def test_a_new_conversation_starts_empty_and_the_earlier_one_stays_reachable(backend):
    session = ChatSession()
    run_turn(backend, session, "Vilken kommun är projektägare för SAM?")
    first = session.current.id
    chat, panel, session, stored, choices, *_ = backend.new_conversation(session)
    assert chat == [] and session.current.turns == [] and [c[1] for c in choices["choices"]] == [first]

    run_turn(backend, session, BUDGET)
    assert len(session_to_json(session)["conversations"]) == 2
    chat, panel, session, stored = backend.switch_conversation(first, session)
    assert session.current.id == first and "Sundsvalls kommun" in chat[1]["content"]
    assert len(stored["conversations"]) == 2


def test_a_rating_is_logged_at_once_and_its_comment_amends_it(backend):
    session = ChatSession()
    run_turn(backend, session, "Vilken kommun är projektägare för SAM?")
    row, box, status, session = backend.rate(session, gr.LikeData(None, {"index": 1, "value": "", "liked": True}))
    assert row["visible"] is True and "Tack!" in status
    row, box, status, session = backend.comment("Precis rätt", session)
    assert row["visible"] is False and status == "Tack för kommentaren!"

    records = [
        r
        for r in read_feedback(backend.settings.feedback_path)
        if r["question"] == "Vilken kommun är projektägare för SAM?"
    ]
    assert len(records) == 1 and records[0]["rating"] == "👍" and records[0]["comment"] == "Precis rätt"


def test_visa_dokumentet_opens_the_whole_document_at_the_cited_sentence(backend):
    session = ChatSession()
    run_turn(backend, session, "Vilken kommun är projektägare för SAM?")
    citation = session.current.answer_of(0).citations[0]
    html = backend.open_document(session, gr.EventData(None, {"turn": 0, "n": 1}))
    assert html.startswith('<dialog class="rk-dialog"')
    assert f'<mark class="rk-hit">{citation.quote[:40]}' in html
    for heading in citation.passage.chunk.heading_path:
        assert f">{heading}</h" in html
    by_id = backend.open_document(session, gr.EventData(None, {"doc": citation.passage.chunk.doc_id}))
    assert "rk-hit" not in by_id and citation.quote[:40] in by_id


def test_every_message_in_the_window_is_escaped(backend):
    session = ChatSession()
    run_turn(backend, session, "<img src=x onerror=alert(1)> *Vem* äger SAM?")
    user = chat_messages(session.current)[0]["content"]
    assert "<img" not in user and "&lt;img src=x onerror=alert(1)&gt; *Vem* äger SAM?" in user


def test_examples_and_tables_fit_the_store(chat_assistant):
    corpus = CorpusView(chat_assistant.store)
    assert 1 <= len(corpus.examples()) <= 4 and BUDGET in corpus.examples()
    assert len(corpus.document_rows()) == len(chat_assistant.store.documents())
    assert {"HSO", "SAM", "ERUF"} <= {row[0] for row in corpus.glossary_rows()}
