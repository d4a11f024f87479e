"""Conversations as the browser keeps them: compact JSON in its local storage (`gr.BrowserState`).

A saved answer keeps its text and, per citation, the chunk id and the quote's span — not the passage: on
restore the passage is looked up in the store again. A chunk that is gone (its document was removed or
changed) comes back as a stand-in holding just the quoted sentence, so old answers still show what they cited.

What comes back from a browser is untrusted: `conversation_from_json` keeps only well-formed entries within
the caps, and everything is escaped when shown like any other text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from assistant.answer import Answer, Citation, Passage
from assistant.chat.conversation import MAX_CONVERSATIONS, MAX_TURNS, ChatSession, Conversation, Turn
from ingest.types import Chunk, DocumentMeta

VERSION = 1
MAX_TEXT = 20_000  # characters of an answer kept
MAX_QUOTE = 4_000
MAX_CITATIONS = 20
MAX_FILTER_VALUES = 50


def session_to_json(session: ChatSession) -> dict:
    """What the browser stores: the open conversation first (if it has turns), then the earlier ones."""
    current = conversation_to_json(session.current) if session.current.turns else None
    others = [c for c in session.saved if c.get("id") != session.current.id]
    conversations = ([current] if current else []) + others
    return {"v": VERSION, "current": session.current.id, "conversations": conversations[:MAX_CONVERSATIONS]}


def session_from_json(data: Any, chunks: Mapping[str, Chunk], max_question_chars: int) -> ChatSession:
    """The session a browser's stored value describes; anything malformed is dropped, never an error."""
    session = ChatSession()
    if not isinstance(data, dict) or data.get("v") != VERSION or not isinstance(data.get("conversations"), list):
        return session
    for item in data["conversations"][:MAX_CONVERSATIONS]:
        conversation = conversation_from_json(item, chunks, max_question_chars)
        if conversation is None:
            continue
        session.saved.append(conversation_to_json(conversation))
        if conversation.id == data.get("current"):
            session.current = conversation
    return session


def conversation_to_json(conversation: Conversation) -> dict:
    return {
        "id": conversation.id,
        "started": conversation.started,
        "turns": [_turn_to_json(t) for t in conversation.turns[-MAX_TURNS:]],
    }


def _turn_to_json(turn: Turn) -> dict:
    a = turn.answer
    return {
        "q": turn.question,
        "f": turn.filters or {},
        "a": {
            "text": a.text,
            "answered": a.answered,
            "language": a.language,
            "kind": a.kind,
            "decline_reason": a.decline_reason,
            "question_type": a.question_type,
            "conflict": a.conflict,
            "resolved": a.resolved_question,
            "citations": [_citation_to_json(c) for c in a.citations],
        },
    }


def _citation_to_json(c: Citation) -> dict:
    chunk = c.passage.chunk
    return {
        "n": c.n,
        "chunk": chunk.id,
        "doc": chunk.doc_id,
        "title": chunk.meta.title,
        "page": chunk.page,
        "page_estimated": chunk.page_estimated,
        "section": list(chunk.heading_path),
        "quote": c.quote,
        "qs": c.quote_start,
        "qe": c.quote_end,
    }


def conversation_from_json(item: Any, chunks: Mapping[str, Chunk], max_question_chars: int) -> Conversation | None:
    """A conversation from its stored form, or None if it is not one."""
    if not isinstance(item, dict) or not _short_str(item.get("id"), 40) or not isinstance(item.get("turns"), list):
        return None
    turns = [t for t in (_turn_from_json(x, chunks, max_question_chars) for x in item["turns"][-MAX_TURNS:]) if t]
    if not turns:
        return None
    started = item.get("started")
    return Conversation(id=item["id"], turns=turns, started=started if _short_str(started, 40) else "")


def _turn_from_json(item: Any, chunks: Mapping[str, Chunk], max_question_chars: int) -> Turn | None:
    if not isinstance(item, dict) or not isinstance(item.get("a"), dict):
        return None
    question, a = item.get("q"), item["a"]
    if not _short_str(question, max_question_chars) or not _short_str(a.get("text"), MAX_TEXT):
        return None
    raw = a.get("citations") if isinstance(a.get("citations"), list) else []
    citations = [c for c in (_citation_from_json(x, chunks) for x in raw[:MAX_CITATIONS]) if c]
    answer = Answer(
        question=question,
        answered=a.get("answered") is True,
        text=a["text"],
        language=_str(a.get("language"), 8, "sv"),
        citations=citations,
        passages=[c.passage for c in citations],
        question_type=_str(a.get("question_type"), 40, "other"),
        conflict=a.get("conflict") is True,
        resolved_question=_str(a.get("resolved"), max_question_chars * 2, question),
        kind=_str(a.get("kind"), 20, "fact"),
        decline_reason=_str(a.get("decline_reason"), 20, ""),
    )
    return Turn(question=question, answer=answer, filters=_filters(item.get("f")))


def _citation_from_json(item: Any, chunks: Mapping[str, Chunk]) -> Citation | None:
    if not isinstance(item, dict) or not isinstance(item.get("n"), int) or not 0 < item["n"] <= MAX_CITATIONS:
        return None
    quote = _str(item.get("quote"), MAX_QUOTE, "")
    chunk_id = item.get("chunk")
    chunk = chunks.get(chunk_id) if isinstance(chunk_id, str) else None
    qs, qe = item.get("qs"), item.get("qe")
    if chunk is not None and isinstance(qs, int) and isinstance(qe, int) and chunk.text[qs:qe] == quote:
        return Citation(item["n"], Passage(chunk=chunk, score=0.0, rank=item["n"]), quote, qs, qe)
    if not quote:
        return None
    return Citation(item["n"], Passage(chunk=_stand_in(item, quote), score=0.0, rank=item["n"]), quote, 0, len(quote))


def _stand_in(item: dict, quote: str) -> Chunk:
    """A chunk holding only the quoted sentence, for a citation whose passage the store no longer holds."""
    doc_id = _str(item.get("doc"), 300, "okänt dokument")
    title = _str(item.get("title"), 300, doc_id)
    page = item.get("page") if isinstance(item.get("page"), int) else None
    section = item.get("section")
    if not isinstance(section, list):
        section = []
    heading_path = tuple(s[:300] for s in section[:8] if isinstance(s, str))
    return Chunk(
        id=f"borttagen:{_str(item.get('chunk'), 64, '')}",
        doc_id=doc_id,
        text=quote,
        heading_path=heading_path,
        start=0,
        end=len(quote),
        page=page,
        page_end=page,
        language="sv",
        meta=DocumentMeta(doc_id=doc_id, title=title),
        page_estimated=item.get("page_estimated") is True,
    )


def _filters(value: Any) -> dict[str, list] | None:
    if not isinstance(value, dict):
        return None
    out = {
        k: [str(v)[:300] for v in vals[:MAX_FILTER_VALUES] if isinstance(v, (str, int))]
        for k, vals in value.items()
        if k in ("document", "region", "year") and isinstance(vals, list)
    }
    return {k: v for k, v in out.items() if v} or None


def _short_str(value: Any, limit: int) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value.strip()) and len(value) <= limit


def _str(value: Any, limit: int, default: str) -> str:
    return value[:limit] if isinstance(value, str) else default
