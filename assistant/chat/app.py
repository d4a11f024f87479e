"""The chat: a Gradio app for staff and new employees, in Swedish.

    assistant = Assistant(settings)
    app = build_app(assistant, settings)
    url = launch(app, settings)            # or serve(settings) to build, launch and block

Tabs: "Chatt" (streamed answers with [n] markers, a sources panel with the cited sentence marked, filters,
👍/👎 feedback with an optional comment), "Dokument" (the corpus) and "Förkortningar" (the acronyms the
corpus defines, found by code). A named endpoint `ask` serves scripts and `gradio_client`.

Each browser session (and each API client) has its own `Conversation` in a `gr.State`: follow-up
questions are resolved against that session's questions only. Safe by default: 127.0.0.1, no share link,
optional basic auth, a bounded queue, a maximum question length, and no files served from disk except
Gradio's own (the store, corpus, model cache and feedback log are blocked outright).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answering.followup import subject_of
from assistant.assistant import Assistant
from assistant.chat.conversation import Conversation, Turn, filters_from
from assistant.chat.feedback import FeedbackLog
from assistant.chat.glossary import GlossaryEntry, build_glossary
from assistant.chat.render import (
    DOCUMENT_HEADERS,
    GLOSSARY_HEADERS,
    answer_as_text,
    answer_markdown,
    document_rows,
    glossary_rows,
    md_escape,
    sources_html,
)
from ingest.reading.metadata import regions_of
from ingest.types import DocumentMeta
from regionkunskap.errors import ConfigError, QuestionError, RegionkunskapError
from regionkunskap.settings import Settings

log = logging.getLogger(__name__)

TITLE = "Regionkunskap"
INTRO = ("Fråga om dokumenten om regional utveckling. Svaren bygger bara på dokumenten och hänvisar med [1], [2] … "
         "till källorna, där den citerade meningen är markerad. Följdfrågor som ”Och när slutar det?” fungerar.")
# Onboarding examples: kept only when the store holds what they are about, then topped up with
# "Vad står … för?" from the glossary, so a store with other documents still gets examples that fit it.
EXAMPLES = (
    "Hur stor är budgeten för North Sweden Green Deal?",
    "Vem äger SAM?",
    "Vad står HSO för?",
    "Vad är FRO?",
)
MAX_EXAMPLES = 4
STREAM_WORDS, STREAM_DELAY_S = 2, 0.02  # the answer is ready before streaming starts: stream it briskly
CSS = """
.rk-sources mark { background: #ffe27a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.rk-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .5em .75em; margin: .5em 0; }
.rk-source summary { cursor: pointer; }
.rk-passage { white-space: pre-wrap; font-size: .92em; margin-top: .5em; max-height: 26em; overflow-y: auto; }
.rk-closest { background: var(--neutral-200); border-radius: 4px; font-size: .8em; padding: 0 .4em; }
.rk-note { color: var(--body-text-color-subdued); margin: 0 0 .5em 0; }
"""


class ChatBackend:
    """What the app's events do; one per app, shared by all sessions (their state is passed in)."""

    def __init__(self, assistant: Assistant, settings: Settings):
        self.assistant = assistant
        self.settings = settings
        self.feedback = FeedbackLog(settings.feedback_path)
        # One question at a time through the assistant; streaming the answers out runs in parallel.
        self._lock = threading.Lock()

    def ask(self, conversation: Conversation, question: str, filters: Mapping[str, list] | None = None) -> Turn:
        """Ask within the conversation; returns the turn, answered or refused with a Swedish message."""
        try:
            with self._lock:
                answer = self.assistant.ask(question, history=conversation.history(), filters=filters)
        except Exception as exc:  # noqa: BLE001 — every failure becomes one friendly message, logged once
            return conversation.refuse(question, friendly_error(exc, question, self.settings))
        return conversation.add(question, answer)

    def respond(
        self, message: str, conversation: Conversation, documents: list | None, regions: list | None, years: list | None
    ) -> Iterator[tuple]:
        """The chat turn: show the question, then stream the answer, then show its sources."""
        question = " ".join((message or "").split())
        yield "", chat_messages(conversation, pending=question or "…"), gr.skip(), conversation
        turn = self.ask(conversation, question, filters_from(documents, regions, years))
        if turn.answer is not None:
            words = turn.answer.text.split(" ")
            for end in range(STREAM_WORDS, len(words), STREAM_WORDS):
                yield gr.skip(), chat_messages(conversation, partial=" ".join(words[:end])), gr.skip(), conversation
                time.sleep(STREAM_DELAY_S)
        answer, number = conversation.shown_answer()
        yield gr.skip(), chat_messages(conversation), sources_html(answer, number), conversation

    def ask_api(self, question: str, conversation: Conversation) -> tuple[str, Conversation]:
        """The `ask` endpoint: the answer and its numbered sources as plain text (follow-ups use the session)."""
        turn = self.ask(conversation, question or "")
        if turn.answer is None:
            raise gr.Error(turn.refusal, title="Frågan kunde inte besvaras", print_exception=False)
        return answer_as_text(turn.answer), conversation

    def show_turn(self, conversation: Conversation, evt: gr.SelectData) -> tuple[str, Conversation]:
        """A click on a message shows the sources of that message's turn."""
        turn = conversation.turn_of_message(evt.index)
        if turn is not None:
            conversation.shown = turn
        answer, number = conversation.shown_answer()
        return sources_html(answer, number), conversation

    def rate(self, conversation: Conversation, comment: str, evt: gr.LikeData) -> tuple[str, str]:
        """👍/👎 on an answer: log it with the comment, if any."""
        turn = conversation.turn_of_message(evt.index)
        answer = conversation.answer_of(turn) if turn is not None else None
        if turn is None or answer is None or not isinstance(evt.liked, bool):
            return gr.skip(), "Det svaret kan inte betygsättas (det finns inget svar att spara återkoppling om)."
        try:
            self.feedback.append(answer, "👍" if evt.liked else "👎", comment or "")
        except RegionkunskapError as exc:
            log.error("%s", exc)
            return gr.skip(), "Återkopplingen kunde inte sparas just nu. Försök igen senare."
        return "", f"Tack! Din tumme {'upp' if evt.liked else 'ner'} för svar {turn + 1} är sparad."

    @staticmethod
    def reset() -> tuple[list, str, Conversation, str]:
        """A new conversation: nothing carried over."""
        return [], sources_html(None), Conversation(), ""


def friendly_error(exc: Exception, question: str, settings: Settings) -> str:
    """The Swedish message a user sees for a failure; unexpected ones are logged with their traceback."""
    if isinstance(exc, QuestionError):
        if not question.strip():
            return "Skriv en fråga först, till exempel ”Vem äger projektet SAM?”."
        return (f"Frågan är för lång ({len(question)} tecken). Korta ner den till högst "
                f"{settings.max_question_chars} tecken.")
    if isinstance(exc, ConfigError):
        log.warning("question refused: %s", exc)
        return "Filtren kunde inte användas. Rensa filtren och försök igen."
    if isinstance(exc, RegionkunskapError):
        log.error("question failed: %s", exc)
    else:
        log.exception("question failed")
    return ("Något gick fel när svaret togs fram. Försök igen om en stund; kvarstår felet, "
            "kontakta den som driver tjänsten.")


def chat_messages(conversation: Conversation, *, pending: str | None = None, partial: str | None = None) -> list[dict]:
    """The chat window drawn from the conversation: two messages per turn, the last one possibly in progress."""
    messages = []
    for i, turn in enumerate(conversation.turns):
        messages.append({"role": "user", "content": md_escape(turn.question)})
        if turn.answer is not None:
            last = i == len(conversation.turns) - 1
            content = answer_markdown(turn.answer, partial if last else None)
        else:
            content = f"⚠️ {md_escape(turn.refusal)}" if turn.refusal else "*(svaret är inte längre sparat)*"
        messages.append({"role": "assistant", "content": content})
    if pending is not None:
        messages += [{"role": "user", "content": md_escape(pending)}, {"role": "assistant", "content": "…"}]
    return messages


def example_questions(assistant: Assistant, glossary: list[GlossaryEntry]) -> list[str]:
    """Example questions that fit the store: the editorial ones whose subject it holds, then acronyms."""
    text = "\n".join(c.text for c in assistant.store.chunks().values())
    chosen = [q for q in EXAMPLES if subject_of(q) and all(part in text for part in subject_of(q).split())]
    for entry in glossary:
        question = f"Vad står {entry.acronym} för?"
        if len(chosen) < MAX_EXAMPLES and not entry.inferred and question not in chosen:
            chosen.append(question)
    return chosen[:MAX_EXAMPLES]


def _filter_choices(assistant: Assistant) -> tuple[list[tuple[str, str]], list[str], list[int]]:
    """Choices for the document, region and year filters, from the store's catalog."""
    metas = [DocumentMeta.from_flat(d.meta) for d in assistant.store.documents()]
    documents = sorted(((m.title or m.doc_id, m.doc_id) for m in metas), key=lambda c: c[0].casefold())
    regions = sorted({r for m in metas for r in regions_of(m)})
    years = sorted({m.year for m in metas if m.year})
    return documents, regions, years


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    """The chat app (not yet launched)."""
    backend = ChatBackend(assistant, settings)
    glossary = build_glossary(assistant.store.chunks().values())
    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_width=True) as app:
        conversation = gr.State(Conversation(), time_to_live=8 * 3600)
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        with gr.Tabs():
            with gr.Tab("Chatt", id="chatt"):
                chat = _chat_tab(assistant, settings, glossary)
            with gr.Tab("Dokument", id="dokument"):
                _documents_tab(assistant)
            with gr.Tab("Förkortningar", id="forkortningar"):
                _glossary_tab(glossary)
        _wire(backend, chat, conversation)
    return app


@dataclass
class _ChatTab:
    """The components of the chat tab that events read or write."""

    chatbot: gr.Chatbot
    question: gr.Textbox
    comment: gr.Textbox
    new: gr.Button
    status: gr.Markdown
    filters: tuple[gr.Dropdown, gr.Dropdown, gr.Dropdown]
    sources: gr.HTML


def _chat_tab(assistant: Assistant, settings: Settings, glossary: list[GlossaryEntry]) -> _ChatTab:
    """The conversation on the left; filters and the sources panel on the right."""
    documents, regions, years = _filter_choices(assistant)
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Samtal", height=520, elem_id="rk-chat", layout="bubble",
                examples=[{"text": q} for q in example_questions(assistant, glossary)],
                placeholder="**Välkommen!** Välj en exempelfråga eller skriv en egen nedan.",
            )
            question = gr.Textbox(
                label="Fråga", placeholder="Ställ en fråga om dokumenten …", elem_id="rk-question",
                max_length=settings.max_question_chars, submit_btn="Skicka", autofocus=True,
            )
            with gr.Row():
                comment = gr.Textbox(label="Kommentar till din tumme upp/ner (valfri)", scale=4,
                                     elem_id="rk-comment", max_lines=3)
                new = gr.Button("Ny konversation", scale=1)
            status = gr.Markdown(elem_id="rk-status")
        with gr.Column(scale=2):
            with gr.Accordion("Filter: begränsa sökningen", open=False):
                filters = (gr.Dropdown(documents, multiselect=True, label="Dokument"),
                           gr.Dropdown(regions, multiselect=True, label="Region"),
                           gr.Dropdown(years, multiselect=True, label="År"))
            with gr.Accordion("Källor", open=False, elem_id="rk-sources-panel"):
                sources = gr.HTML(sources_html(None), elem_id="rk-sources")
    return _ChatTab(chatbot, question, comment, new, status, filters, sources)


def _documents_tab(assistant: Assistant) -> None:
    gr.Markdown("Dokumenten som assistenten svarar utifrån. *Avsnitt* är antalet textavsnitt i sökindexet.")
    gr.Dataframe(document_rows(assistant.store.documents()), headers=DOCUMENT_HEADERS, interactive=False,
                 wrap=True, show_search="search", elem_id="rk-documents",
                 column_widths=["34%", "22%", "16%", "6%", "13%", "9%"])


def _glossary_tab(glossary: list[GlossaryEntry]) -> None:
    gr.Markdown("Förkortningar som dokumenten definierar, med meningen där det står. *Härledd* betyder att "
                "dokumenten använder förkortningen utan att skriva ut den, och att betydelsen är hämtad ur "
                "samma avsnitt.")
    gr.Dataframe(glossary_rows(glossary), headers=GLOSSARY_HEADERS, interactive=False, wrap=True,
                 show_search="search", elem_id="rk-glossary", column_widths=["9%", "22%", "20%", "5%", "44%"])


def _wire(backend: ChatBackend, chat: _ChatTab, conversation: gr.State) -> None:
    """The events. Only `ask` is an API endpoint; the others serve the page and are private."""
    private: dict[str, Any] = {"api_visibility": "private"}
    turn_io: dict[str, Any] = {"inputs": [chat.question, conversation, *chat.filters],
                               "outputs": [chat.question, chat.chatbot, chat.sources, conversation]}
    # A question sent while an answer streams is asked right after it, not dropped.
    turn_options: dict[str, Any] = {"concurrency_id": "chat", "trigger_mode": "always_last", **private}
    chat.question.submit(backend.respond, **turn_io, **turn_options)
    chat.chatbot.example_select(_picked_example, None, [chat.question], queue=False, **private).then(
        backend.respond, **turn_io, **turn_options)
    chat.chatbot.select(backend.show_turn, [conversation], [chat.sources, conversation], queue=False, **private)
    chat.chatbot.like(backend.rate, [conversation, chat.comment], [chat.comment, chat.status], queue=False, **private)
    for reset in (chat.new.click, chat.chatbot.clear):
        reset(backend.reset, None, [chat.chatbot, chat.sources, conversation, chat.status], queue=False, **private)

    api_question, api_answer = gr.Textbox(visible=False), gr.Textbox(visible=False)
    gr.Button(visible=False).click(
        backend.ask_api, [api_question, conversation], [api_answer, conversation], api_name="ask",
        api_description="Svarar på en fråga (str) med svaret och dess numrerade källor som text. "
                        "Följdfrågor från samma klient förstås i sitt sammanhang.",
    )


def _picked_example(evt: gr.SelectData) -> str:
    """The text of the example question clicked."""
    value = evt.value
    return value.get("text", "") if isinstance(value, dict) else str(value or "")


def blocked_paths(settings: Settings, assistant: Assistant) -> list[str]:
    """Folders and files the app must never serve, whatever a request asks for."""
    paths = {settings.store, assistant.store.data_dir, settings.corpus, settings.model_cache, settings.feedback_path}
    return sorted({str(Path(p).expanduser().resolve()) for p in paths})


def launch(app: gr.Blocks, settings: Settings, assistant: Assistant, *, prevent_thread_lock: bool = True) -> str:
    """Start the server on settings.host:port; returns its URL. Never shares publicly, serves no files."""
    user, _, password = (settings.auth or "").partition(":")
    # max_file_size=0: the app takes no files, so uploads are refused rather than stored and served back.
    app.queue(max_size=settings.max_queue, default_concurrency_limit=2)
    app.launch(
        server_name=settings.host, server_port=settings.port, share=False,
        auth=(user, password) if settings.auth else None,
        auth_message="Logga in med det användarnamn och lösenord du har fått.",
        allowed_paths=[], blocked_paths=blocked_paths(settings, assistant), max_file_size=0,
        prevent_thread_lock=prevent_thread_lock, quiet=True, show_error=False, inbrowser=False,
        ssr_mode=False, pwa=False, mcp_server=False, enable_monitoring=False,
        state_session_capacity=1000, css=CSS,
    )
    if app.local_url is None:
        raise RuntimeError("Gradio started no local server")  # launch() sets it; not a user error
    return app.local_url


def serve(settings: Settings) -> int:
    """`regionkunskap chat`: load the assistant, start the app, print its URL and run until interrupted."""
    assistant = Assistant(settings)
    app = build_app(assistant, settings)
    url = launch(app, settings, assistant, prevent_thread_lock=True)
    print(f"Regionkunskap-chatten körs på {url}" + (" (inloggning krävs)" if settings.auth else ""))
    print("Avsluta med Ctrl+C.")
    app.block_thread()
    return 0
