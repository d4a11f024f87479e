"""What the chat's events do. One `ChatBackend` per app, shared by all sessions; each event gets the
session's `ChatSession` and returns it with the components it changes.

An answer is produced in one step (milliseconds), so it is shown at once, never replayed word by word:
a turn shows the question with "…" while the assistant works, then the answer and its sources.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import gradio as gr

from assistant.assistant import Assistant
from assistant.chat.conversation import MAX_CONVERSATIONS, ChatSession, Conversation, Turn, filters_from
from assistant.chat.corpus import CorpusView
from assistant.chat.document import document_html
from assistant.chat.feedback import FeedbackLog
from assistant.chat.render import answer_as_text, answer_html, question_html, sources_html
from assistant.chat.saved import conversation_from_json, session_from_json, session_to_json
from assistant.chat.text import one_line
from regionkunskap.errors import ConfigError, QuestionError, RegionkunskapError
from regionkunskap.settings import Settings

log = logging.getLogger(__name__)


class ChatBackend:
    """The event handlers of the chat page and the `ask` endpoint."""

    def __init__(self, assistant: Assistant, settings: Settings, corpus: CorpusView | None = None):
        self.assistant = assistant
        self.settings = settings
        self.corpus = corpus or CorpusView(assistant.store)
        self.feedback = FeedbackLog(settings.feedback_path)
        self._lock = threading.Lock()  # one question at a time through the assistant
        self._opened = 0  # counts document openings, so each is a new value for the page

    # --- asking ----------------------------------------------------------------------------------------
    def ask(self, conversation: Conversation, question: str, filters: Mapping[str, list] | None = None) -> Turn | str:
        """Ask within the conversation: the answered turn (now part of it), or the Swedish reason it was not
        asked. A refused question is not kept."""
        refusal = self.refusal(question)
        if refusal:
            return refusal
        try:
            with self._lock:
                answer = self.assistant.ask(question, history=conversation.history(), filters=filters)
        except Exception as exc:  # noqa: BLE001 — every failure becomes one friendly message, logged once
            return friendly_error(exc, question, self.settings)
        return conversation.add(question, answer, filters)

    def refusal(self, question: str) -> str:
        """Why `question` cannot be asked at all ('' if it can) — checked before it is echoed anywhere."""
        if not question.strip():
            return "Skriv en fråga först, till exempel ”Vem äger projektet SAM?”."
        if len(question) > self.settings.max_question_chars:
            return (
                f"Frågan är för lång ({len(question)} tecken). Korta ner den till högst "
                f"{self.settings.max_question_chars} tecken."
            )
        return ""

    def respond(
        self, message: str, session: ChatSession, documents: list | None, regions: list | None, years: list | None
    ) -> Iterator[tuple]:
        """The chat turn. Outputs: question box, chat, sources, session, browser copy, conversation list,
        status line, the "ask without the filter" button, the comment row."""
        question = " ".join((message or "").split())
        refusal = self.refusal(question)
        if refusal:  # shown under the box, which keeps the text to edit; the session is untouched
            yield _interim(session, f"⚠️ {refusal}")
            return
        conversation = session.current
        yield _interim(session, "", question="", chat=chat_messages(conversation, pending=question))
        filters = filters_from(documents, regions, years)
        turn = self.ask(conversation, question, filters)
        if isinstance(turn, str):
            yield _interim(session, f"⚠️ {turn}", question=question, chat=chat_messages(conversation))
            return
        index = len(conversation.turns) - 1
        retry = not turn.answer.answered and bool(filters)
        yield (
            gr.skip(),
            chat_messages(conversation, self._filter_names),
            sources_html(turn.answer, index),
            session,
            session_to_json(session),
            conversation_choices(session),
            "",
            gr.update(visible=retry),
            gr.update(visible=False),
        )

    def without_filters(self, session: ChatSession) -> tuple:
        """ "Fråga utan filter": clear the filters and put the last question back in the box to be asked."""
        turns = session.current.turns
        return [], [], [], turns[-1].question if turns else ""

    def ask_api(self, question: str, session: ChatSession) -> tuple[str, ChatSession]:
        """The `ask` endpoint: the answer and its numbered sources as plain text (follow-ups use the session)."""
        turn = self.ask(session.current, " ".join((question or "").split()))
        if isinstance(turn, str):
            raise gr.Error(turn, title="Frågan kunde inte besvaras", print_exception=False)
        return answer_as_text(turn.answer), session

    # --- sources and documents --------------------------------------------------------------------------
    def show_turn(self, session: ChatSession, evt: gr.SelectData) -> tuple[str, ChatSession]:
        """A click on a message shows the sources of that message's turn."""
        conversation = session.current
        turn = conversation.turn_of_message(evt.index)
        if turn is not None:
            conversation.shown = turn
        return self._panel(conversation), session

    def show_citation(self, session: ChatSession, evt: gr.EventData) -> tuple[str, ChatSession]:
        """A click on [n] of an answer the panel does not show: show that answer's sources, n unfolded."""
        data = getattr(evt, "_data", None) or {}
        turn, n = _int(data.get("turn")), _int(data.get("n"))
        conversation = session.current
        if turn is not None and 0 <= turn < len(conversation.turns):
            conversation.shown = turn
        return self._panel(conversation, n), session

    def _panel(self, conversation: Conversation, open_n: int | None = None) -> str:
        turn = conversation.shown_turn()
        return sources_html(conversation.answer_of(turn), turn, open_n)

    def open_document(self, session: ChatSession, evt: gr.EventData) -> str:
        """ "Visa dokumentet": the whole document from the store, at the cited sentence if one was clicked."""
        data = getattr(evt, "_data", None) or {}
        self._opened += 1
        doc_id, focus = data.get("doc") if isinstance(data.get("doc"), str) else None, None
        turn, n = _int(data.get("turn")), _int(data.get("n"))
        answer = session.current.answer_of(turn) if turn is not None else None
        citation = next((c for c in answer.citations if c.n == n), None) if answer else None
        if citation is not None:
            chunk = citation.passage.chunk
            doc_id = chunk.doc_id
            if citation.quote_end > citation.quote_start and not chunk.id.startswith("borttagen:"):
                focus = (chunk.start + citation.quote_start, chunk.start + citation.quote_end)
        if not doc_id:
            return gr.skip()
        return document_html(self.corpus.title_of(doc_id), self.corpus.chunks_of(doc_id), focus, nonce=self._opened)

    # --- conversations ----------------------------------------------------------------------------------
    def restore(self, stored, session: ChatSession) -> tuple:
        """Page load: the conversations this browser kept. Outputs: chat, sources, session, conversation list,
        filter choices (as of the latest ingest)."""
        if not session.current.turns and not session.saved:
            session = session_from_json(stored, self.corpus.store.chunks(), self.settings.max_question_chars)
        documents, regions, years = self.corpus.filter_choices()
        return (
            chat_messages(session.current, self._filter_names),
            self._panel(session.current),
            session,
            conversation_choices(session),
            gr.update(choices=documents),
            gr.update(choices=regions),
            gr.update(choices=years),
        )

    def new_conversation(self, session: ChatSession) -> tuple:
        """ "Ny konversation": a fresh one; the current one stays in the list. Outputs: chat, sources,
        session, browser copy, conversation list, status, retry button, comment row."""
        stored = session_to_json(session)
        session.saved = stored["conversations"][: MAX_CONVERSATIONS - 1]
        session.current, session.pending_rating = Conversation(), None
        return (
            [],
            sources_html(None),
            session,
            session_to_json(session),
            conversation_choices(session),
            "",
            gr.update(visible=False),
            gr.update(visible=False),
        )

    def switch_conversation(self, conversation_id: str, session: ChatSession) -> tuple:
        """Open an earlier conversation from the list. Outputs: chat, sources, session, browser copy."""
        stored = session_to_json(session)
        item = next((c for c in stored["conversations"] if c.get("id") == conversation_id), None)
        chosen = conversation_from_json(item, self.corpus.store.chunks(), self.settings.max_question_chars)
        if chosen is not None:
            session.saved = stored["conversations"]
            session.current, session.pending_rating = chosen, None
        return (
            chat_messages(session.current, self._filter_names),
            self._panel(session.current),
            session,
            session_to_json(session),
        )

    # --- feedback ---------------------------------------------------------------------------------------
    def rate(self, session: ChatSession, evt: gr.LikeData) -> tuple:
        """👍/👎 on an answer: logged at once, then the comment box is offered. Outputs: comment row,
        comment box, status, session."""
        conversation = session.current
        turn = conversation.turn_of_message(evt.index)
        answer = conversation.answer_of(turn) if turn is not None else None
        if turn is None or answer is None or not isinstance(evt.liked, bool):
            return gr.skip(), gr.skip(), "Det svaret kan inte betygsättas.", session
        rating = "👍" if evt.liked else "👎"
        try:
            record = self.feedback.append(answer, rating)
        except RegionkunskapError as exc:
            log.error("%s", exc)
            return gr.skip(), gr.skip(), "Återkopplingen kunde inte sparas just nu. Försök igen senare.", session
        session.pending_rating = {"id": record["id"], "turn": turn, "rating": rating}
        thanks = f"Tack! Din tumme {'upp' if evt.liked else 'ner'} för svar {turn + 1} är sparad."
        return gr.update(visible=True), "", thanks + " Vill du lägga till en kommentar?", session

    def comment(self, text: str, session: ChatSession) -> tuple:
        """The optional comment to the latest rating. Outputs: comment row, comment box, status, session."""
        pending = session.pending_rating
        answer = session.current.answer_of(pending["turn"]) if pending else None
        if not pending or answer is None or not (text or "").strip():
            return gr.update(visible=False), "", "", session
        try:
            self.feedback.append(answer, pending["rating"], text, record_id=pending["id"])
        except RegionkunskapError as exc:
            log.error("%s", exc)
            return gr.skip(), gr.skip(), "Kommentaren kunde inte sparas just nu. Försök igen senare.", session
        session.pending_rating = None
        return gr.update(visible=False), "", "Tack för kommentaren!", session

    def _filter_names(self, filters: Mapping[str, list]) -> dict[str, list]:
        """Filters as people read them: document titles instead of ids."""
        return {
            k: [self.corpus.title_of(v) for v in values] if k == "document" else values for k, values in filters.items()
        }


def chat_messages(conversation: Conversation, filter_names=None, *, pending: str | None = None) -> list[dict]:
    """The chat window drawn from the conversation: two messages per turn, then the one in progress."""
    messages = []
    for i, turn in enumerate(conversation.turns):
        filters = turn.filters and (filter_names(turn.filters) if filter_names else turn.filters)
        messages.append({"role": "user", "content": question_html(turn.question)})
        messages.append({"role": "assistant", "content": answer_html(turn.answer, i, filters)})
    if pending is not None:
        messages += [{"role": "user", "content": question_html(pending)}, {"role": "assistant", "content": "…"}]
    return messages


def conversation_choices(session: ChatSession):
    """The list of conversations this browser keeps, the open one selected."""
    stored = session_to_json(session)["conversations"]
    choices = [(_label(c), c["id"]) for c in stored]
    current = session.current.id if any(c["id"] == session.current.id for c in stored) else None
    return gr.update(choices=choices, value=current, visible=bool(choices))


def _label(stored: dict) -> str:
    turns = stored.get("turns") or []
    first = one_line(turns[0]["q"], 60) if turns else "Ny konversation"
    return f"{first} ({len(turns)} {'fråga' if len(turns) == 1 else 'frågor'})"


def friendly_error(exc: Exception, question: str, settings: Settings) -> str:
    """The Swedish message a user sees for a failure; unexpected ones are logged with their traceback."""
    if isinstance(exc, QuestionError):
        if not question.strip():
            return "Skriv en fråga först, till exempel ”Vem äger projektet SAM?”."
        return (
            f"Frågan är för lång ({len(question)} tecken). Korta ner den till högst "
            f"{settings.max_question_chars} tecken."
        )
    if isinstance(exc, ConfigError):
        log.warning("question refused: %s", exc)
        return "Filtren kunde inte användas. Rensa filtren och försök igen."
    if isinstance(exc, RegionkunskapError):
        log.error("question failed: %s", exc)
    else:
        log.exception("question failed")
    return (
        "Något gick fel när svaret togs fram. Försök igen om en stund; kvarstår felet, "
        "kontakta den som driver tjänsten."
    )


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _interim(session: ChatSession, status: str, *, question: Any = None, chat: Any = None) -> tuple:
    """The turn's outputs before an answer: sources, stored copy and conversation list left as they are,
    the retry button and the comment row hidden (`None` leaves the question box or the chat unchanged).
    Each slot gets its own update object: gradio may consume one while processing it."""
    return (
        gr.skip() if question is None else question,
        gr.skip() if chat is None else chat,
        gr.skip(),
        session,
        gr.skip(),
        gr.skip(),
        status,
        gr.update(visible=False),
        gr.update(visible=False),
    )
