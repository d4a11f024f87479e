"""What a chat turn does, without the browser: it streams, it keeps each turn's sources, filters narrow it,
and failures become friendly Swedish messages. Runs the real assistant over the real corpus store."""

from __future__ import annotations

from itertools import pairwise

import gradio as gr
import pytest

from assistant.chat.app import ChatBackend, chat_messages, example_questions
from assistant.chat.conversation import Conversation
from assistant.chat.glossary import build_glossary

pytestmark = pytest.mark.slow
BUDGET = "Hur stor är budgeten för North Sweden Green Deal?"


@pytest.fixture(scope="module")
def backend(chat_assistant):
    return ChatBackend(chat_assistant, chat_assistant.settings)


def run_turn(backend, conversation, question, documents=None, regions=None, years=None) -> list[tuple]:
    return list(backend.respond(question, conversation, documents, regions, years))


def bot_texts(updates: list[tuple]) -> list[str]:
    """The last chat bubble's text in each streamed update."""
    return [update[1][-1]["content"] for update in updates]


def test_the_answer_streams_in_growing_pieces_and_ends_with_its_sources(backend):
    conversation = Conversation()
    updates = run_turn(backend, conversation, BUDGET)

    texts = bot_texts(updates)
    assert texts[0] == "…"  # the question shows at once, before the answer is ready
    assert len(texts) > 3
    assert all(len(a) < len(b) for a, b in pairwise(texts[1:-1]))
    assert "112,5" in texts[-1] and "*Källor:* \\[1\\] The North Sweden Green Deal" in texts[-1]
    assert "<mark>" in updates[-1][2] and "112,5" in updates[-1][2]  # the sources panel, at the end


def test_each_turn_keeps_its_own_citations(backend):
    conversation = Conversation()
    run_turn(backend, conversation, BUDGET)
    run_turn(backend, conversation, "Vem äger SAM?")
    first, second = conversation.answer_of(0), conversation.answer_of(1)

    assert first.citations[0].passage.chunk.meta.title == "The North Sweden Green Deal"
    assert "SAM" in second.citations[0].passage.chunk.meta.title
    panel, _ = backend.show_turn(conversation, gr.SelectData(None, {"index": 1, "value": ""}))  # 2nd message
    assert "112,5" in panel and "Sundsvalls kommun" not in panel
    panel, _ = backend.show_turn(conversation, gr.SelectData(None, {"index": 3, "value": ""}))
    assert "Sundsvalls kommun" in panel


def test_a_document_filter_narrows_retrieval_to_that_document(backend, chat_assistant):
    hru = next(d.doc_id for d in chat_assistant.store.documents() if "HRU" in d.meta["title"])
    conversation = Conversation()
    run_turn(backend, conversation, BUDGET, documents=[hru])

    answer = conversation.answer_of(0)
    assert "112,5" not in answer.text
    assert {c.passage.chunk.doc_id for c in answer.citations} <= {hru}


def test_region_and_year_filters_narrow_retrieval(backend):
    conversation = Conversation()
    run_turn(backend, conversation, "Vem äger SAM?", regions=["Västernorrland"], years=[2024])
    assert {c.passage.chunk.meta.region for c in conversation.answer_of(0).citations} == {"Västernorrland"}

    run_turn(backend, conversation, "Vem äger SAM?", regions=["Norrbotten"])
    assert all("Norrbotten" in c.passage.chunk.meta.region for c in conversation.answer_of(1).citations)


def test_a_refused_question_is_shown_in_swedish_and_not_used_for_follow_ups(backend):
    conversation = Conversation()
    run_turn(backend, conversation, "Vem äger SAM?")
    updates = run_turn(backend, conversation, "x" * (backend.settings.max_question_chars + 1))

    assert bot_texts(updates)[-1].startswith("⚠️ Frågan är för lång")
    assert conversation.history() == ["Vem äger SAM?"]


def test_every_message_in_the_window_is_escaped_markdown(backend):
    conversation = Conversation()
    run_turn(backend, conversation, "<img src=x onerror=alert(1)> *Vem* äger SAM?")
    user = chat_messages(conversation)[0]["content"]
    assert user.startswith("\\<img src=x onerror=alert\\(1\\)\\>") and "\\*Vem\\*" in user


def test_examples_fit_the_store(chat_assistant):
    examples = example_questions(chat_assistant, build_glossary(chat_assistant.store.chunks().values()))
    assert 1 <= len(examples) <= 4
    assert BUDGET in examples
