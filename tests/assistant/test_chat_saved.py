"""Conversations as the browser keeps them: a round trip keeps answers, citations and follow-up context;
a passage the store no longer holds comes back as its quote; anything a browser sends that is not a
well-formed conversation within the caps is dropped, never an error; sessions stay bounded."""

from __future__ import annotations

import json

from assistant.chat.conversation import MAX_CONVERSATIONS, MAX_TURNS, ChatSession, Conversation
from assistant.chat.saved import session_from_json, session_to_json
from tests.assistant.test_render import QUOTE, a_citation, an_answer

LIMIT = 500


def a_session(turns: int = 2) -> ChatSession:
    conversation = Conversation()
    for i in range(turns):
        answer = an_answer()
        answer.resolved_question = f"fråga {i} om budgeten"
        conversation.add(f"fråga {i}", answer, {"region": ["Norrbotten"]} if i else None)
    return ChatSession(current=conversation)


def chunks_of(session: ChatSession) -> dict:
    return {c.passage.chunk.id: c.passage.chunk for t in session.current.turns for c in t.answer.citations}


def test_a_round_trip_keeps_questions_answers_citations_filters_and_follow_up_context():
    session = a_session()
    stored = json.loads(json.dumps(session_to_json(session)))  # what the browser really holds
    back = session_from_json(stored, chunks_of(session), LIMIT)

    assert back.current.id == session.current.id
    assert [t.question for t in back.current.turns] == ["fråga 0", "fråga 1"]
    assert back.current.history() == ["fråga 0 om budgeten", "fråga 1 om budgeten"]
    assert back.current.turns[1].filters == {"region": ["Norrbotten"]}
    citation = back.current.turns[0].answer.citations[0]
    assert citation.quote == QUOTE and citation.passage.chunk.text[citation.quote_start : citation.quote_end] == QUOTE
    assert back.current.turns[0].answer.text == session.current.turns[0].answer.text


def test_a_citation_whose_passage_is_gone_comes_back_as_its_quote():
    session = a_session(1)
    back = session_from_json(session_to_json(session), {}, LIMIT)
    chunk = back.current.turns[0].answer.citations[0].passage.chunk
    assert chunk.text == QUOTE and chunk.meta.title == "Green <Deal>" and chunk.page == 5
    assert chunk.id.startswith("borttagen:")


def test_garbage_from_a_browser_is_dropped_not_raised():
    good = session_to_json(a_session(1))["conversations"][0]
    for value in (
        None,
        "x",
        3,
        [],
        {"v": 99},
        {"v": 1, "conversations": "x"},
        {
            "v": 1,
            "conversations": [
                None,
                1,
                {"id": 5},
                {"id": "a", "turns": [{"q": 1}]},
                {"id": "b", "turns": [{"q": "x" * (LIMIT + 1), "a": {"text": "t"}}]},
                {
                    "id": "c",
                    "turns": [{"q": "ok", "a": {"text": "t", "citations": [{"n": "1"}, {"n": 1, "quote": ""}, 7]}}],
                },
            ],
        },
    ):
        session = session_from_json(value, {}, LIMIT)
        assert isinstance(session, ChatSession) and not session.current.turns
    mixed = session_from_json({"v": 1, "current": good["id"], "conversations": [{"id": "z"}, good]}, {}, LIMIT)
    assert [c["id"] for c in mixed.saved] == [good["id"]] and mixed.current.id == good["id"]


def test_what_a_browser_keeps_is_capped():
    many = {
        "v": 1,
        "conversations": [
            session_to_json(a_session(MAX_TURNS + 5))["conversations"][0] | {"id": f"k{i}"}
            for i in range(MAX_CONVERSATIONS + 4)
        ],
    }
    session = session_from_json(many, {}, LIMIT)
    assert len(session.saved) == MAX_CONVERSATIONS
    assert all(len(c["turns"]) == MAX_TURNS for c in session.saved)
    assert len(session_to_json(session)["conversations"]) == MAX_CONVERSATIONS


def test_a_conversation_keeps_its_latest_turns_only():
    conversation = a_session(MAX_TURNS + 7).current
    assert len(conversation.turns) == MAX_TURNS
    assert conversation.turns[0].question == "fråga 7"


def test_only_cited_passages_are_kept_with_an_answer():
    answer = an_answer(citations=[a_citation()])
    answer.passages = answer.passages * 5
    Conversation().add("fråga", answer)
    assert len(answer.passages) == 1
