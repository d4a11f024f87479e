"""The chat: a Gradio app for staff and new employees, in Swedish.

    assistant = Assistant(settings)
    app = build_app(assistant, settings)
    url = launch(app, settings, assistant)   # or serve(settings) to build, launch and block

Tabs: "Chatt" (answers whose [n] open their sources; on a wide screen the sources sit beside the chat, on
a narrow one under each answer; "Visa dokumentet" shows the whole document at the cited sentence; 👍/👎
then an optional comment; filters; earlier conversations), "Dokument" and "Förkortningar" (searchable,
re-read after every ingest). A named endpoint `ask` serves scripts and `gradio_client`.

Each browser tab has its own `ChatSession` in a `gr.State`, and the browser keeps its conversations in its
own storage (`gr.BrowserState`), so a reload restores them and no other browser sees them. Safe by default:
127.0.0.1, no share link, optional basic auth with failed logins throttled, a bounded queue, a maximum
question length, and no files served from disk except Gradio's own (the store, corpus, model cache and
feedback log are blocked outright).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.assistant import Assistant
from assistant.chat.backend import ChatBackend
from assistant.chat.conversation import ChatSession
from assistant.chat.corpus import CorpusView
from assistant.chat.guard import LoginThrottle, swedish_queue_full
from assistant.chat.page import CSS, DOCUMENT_JS, SOURCES_JS, translations
from assistant.chat.render import sources_html
from assistant.chat.tables import documents_table, glossary_table
from regionkunskap.settings import Settings

TITLE = "Regionkunskap"
INTRO = (
    "Fråga om dokumenten om regional utveckling. Svaren bygger bara på dokumenten och hänvisar med [1], [2] … "
    "till källorna: klicka på en siffra för att se meningen i sitt sammanhang. Följdfrågor som "
    "”Och när slutar det?” fungerar."
)
SESSION_TTL_S = 8 * 3600


@dataclass
class _ChatTab:
    """The components of the chat tab that events read or write."""

    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    status: gr.Markdown
    retry: gr.Button
    comment_row: gr.Row
    comment: gr.Textbox
    send_comment: gr.Button
    sources: gr.HTML
    new: gr.Button
    conversations: gr.Radio
    filters: tuple[gr.Dropdown, gr.Dropdown, gr.Dropdown]


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    """The chat app (not yet launched)."""
    corpus = CorpusView(assistant.store)
    backend = ChatBackend(assistant, settings, corpus)
    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_width=True) as app:
        session = gr.State(ChatSession(), time_to_live=SESSION_TTL_S)
        key = _browser_key(assistant)
        stored = gr.BrowserState(None, storage_key=f"regionkunskap-{key[:12]}", secret=key)
        gr.Markdown(f"# {TITLE}\n{INTRO}", elem_id="rk-intro")
        document_view = gr.HTML("", js_on_load=DOCUMENT_JS, elem_id="rk-document")
        with gr.Tabs():
            with gr.Tab("Chatt", id="chatt"):
                chat = _chat_tab(corpus, settings)
            with gr.Tab("Dokument", id="dokument") as documents_tab:
                documents_search, documents = _table_tab(
                    "Dokumenten som assistenten svarar utifrån. Klicka på en titel för att läsa hela dokumentet. "
                    "*Avsnitt* är antalet textavsnitt i sökindexet.",
                    "Sök bland dokumenten",
                    "rk-documents",
                    documents_table(corpus.document_rows()),
                )
            with gr.Tab("Förkortningar", id="forkortningar") as glossary_tab:
                glossary_search, glossary = _table_tab(
                    "Förkortningar som dokumenten definierar, med meningen där det står. *Härledd* betyder att "
                    "dokumenten använder förkortningen utan att skriva ut den, och att betydelsen är hämtad ur "
                    "samma avsnitt.",
                    "Sök bland förkortningarna",
                    "rk-glossary",
                    glossary_table(corpus.glossary_rows()),
                )
        _wire(app, backend, chat, session, stored, document_view)
        for name, tab, search, table, render, rows in (
            ("documents", documents_tab, documents_search, documents, documents_table, corpus.document_rows),
            ("glossary", glossary_tab, glossary_search, glossary, glossary_table, corpus.glossary_rows),
        ):
            # Re-read on every visit and search: a document ingested since start-up shows up. One at a time
            # per table, in order, so a visit's full table never lands after the search typed just after it.
            options: dict[str, Any] = {
                "api_visibility": "private",
                "concurrency_id": f"table-{name}",
                "concurrency_limit": 1,
                "show_progress": "hidden",
            }

            def refresh(query, render=render, rows=rows):
                return render(rows(), query)

            tab.select(refresh, [search], [table], **options)
            search.change(refresh, [search], [table], trigger_mode="always_last", **options)
    return app


def _browser_key(assistant: Assistant) -> str:
    """Names this store's conversations in the browser's storage, stable across restarts. Not a secret:
    anyone with the browser profile can read its storage; it only keeps two stores' conversations apart."""
    store = assistant.store
    return hashlib.sha256(f"regionkunskap:{store.location}#{store.collection_name}".encode()).hexdigest()[:32]


def _chat_tab(corpus: CorpusView, settings: Settings) -> _ChatTab:
    """The conversation on the left; the sources, conversations and filters on the right (below on a phone)."""
    documents, regions, years = corpus.filter_choices()
    with gr.Row(elem_id="rk-layout"):
        with gr.Column(scale=3, min_width=300, elem_id="rk-main"):
            chatbot = gr.Chatbot(
                label="Samtal",
                show_label=False,
                height=560,
                elem_id="rk-chat",
                layout="bubble",
                buttons=[],
                latex_delimiters=[],
                feedback_options=("Like", "Dislike"),
                examples=[{"text": q} for q in corpus.examples()],
                placeholder="**Välkommen!** Välj en exempelfråga eller skriv en egen nedan.",
            )
            with gr.Row(equal_height=False, elem_id="rk-ask-row"):
                # The send button sits beside the box, not inside its <label>: the box's name stays "Fråga".
                question = gr.Textbox(
                    label="Fråga",
                    placeholder="Ställ en fråga om dokumenten …",
                    elem_id="rk-question",
                    max_length=settings.max_question_chars,
                    autofocus=True,
                    lines=1,
                    max_lines=4,
                    scale=6,
                    min_width=200,
                )
                send = gr.Button("Skicka", variant="secondary", scale=1, min_width=90, elem_id="rk-send", size="md")
            status = gr.Markdown(elem_id="rk-status")
            retry = gr.Button("Fråga utan filter", visible=False, elem_id="rk-retry", variant="secondary")
            with gr.Row(visible=False, elem_id="rk-comment-row") as comment_row:
                comment = gr.Textbox(
                    label="Kommentar till betyget (valfri)", elem_id="rk-comment", max_lines=3, max_length=2000, scale=4
                )
                send_comment = gr.Button("Skicka kommentar", scale=1, elem_id="rk-send-comment")
        with gr.Column(scale=2, min_width=300, elem_id="rk-side"):
            with gr.Column(elem_id="rk-sources-box"):
                gr.Markdown("## Källor")
                sources = gr.HTML(sources_html(None), js_on_load=SOURCES_JS, elem_id="rk-sources")
            new = gr.Button("Ny konversation", elem_id="rk-new", size="sm")
            conversations = gr.Radio([], label="Dina konversationer", visible=False, elem_id="rk-conversations")
            with gr.Accordion("Filter: begränsa sökningen", open=False, elem_id="rk-filters"):
                filters = (
                    gr.Dropdown(documents, multiselect=True, label="Dokument"),
                    gr.Dropdown(regions, multiselect=True, label="Region"),
                    gr.Dropdown(years, multiselect=True, label="År"),
                )
    return _ChatTab(
        chatbot, question, send, status, retry, comment_row, comment, send_comment, sources, new, conversations, filters
    )


def _table_tab(intro: str, search_label: str, elem_id: str, html: str) -> tuple[gr.Textbox, gr.HTML]:
    gr.Markdown(intro)
    search = gr.Textbox(label=search_label, placeholder="Skriv för att söka …", elem_id=f"{elem_id}-search")
    return search, gr.HTML(html, elem_id=elem_id, js_on_load=None)


def _wire(
    app: gr.Blocks,
    backend: ChatBackend,
    chat: _ChatTab,
    session: gr.State,
    stored: gr.BrowserState,
    document_view: gr.HTML,
) -> None:
    """The events. Only `ask` is an API endpoint; the others serve the page and are private."""
    # Keyword arguments shared by many event listeners (dict[str, Any]: each listener takes many types).
    private: dict[str, Any] = {"api_visibility": "private"}
    quick: dict[str, Any] = {"queue": False, **private}
    # What a new or switched conversation redraws; a turn redraws the question box too.
    reset_io = [
        chat.chatbot,
        chat.sources,
        session,
        stored,
        chat.conversations,
        chat.status,
        chat.retry,
        chat.comment_row,
    ]
    turn_io: dict[str, Any] = {"inputs": [chat.question, session, *chat.filters], "outputs": [chat.question, *reset_io]}
    # A question sent while an answer is on its way is asked right after it, not dropped.
    turn_options: dict[str, Any] = {"concurrency_id": "chat", "trigger_mode": "always_last", **private}
    for send in (chat.question.submit, chat.send.click):
        send(backend.respond, **turn_io, **turn_options)
    chat.chatbot.example_select(_picked_example, None, [chat.question], **quick).then(
        backend.respond, **turn_io, **turn_options
    )
    chat.retry.click(backend.without_filters, [session], [*chat.filters, chat.question], **quick).then(
        backend.respond, **turn_io, **turn_options
    )

    chat.chatbot.select(backend.show_turn, [session], [chat.sources, session], **quick)
    chat.sources.cite(backend.show_citation, [session], [chat.sources, session], **quick)
    chat.sources.document(backend.open_document, [session], [document_view], **quick)

    feedback_io = [chat.comment_row, chat.comment, chat.status, session]
    chat.chatbot.like(backend.rate, [session], feedback_io, **quick)
    chat.send_comment.click(backend.comment, [chat.comment, session], feedback_io, **quick)
    chat.comment.submit(backend.comment, [chat.comment, session], feedback_io, **quick)

    chat.new.click(backend.new_conversation, [session], reset_io, **quick)
    chat.conversations.input(
        backend.switch_conversation,
        [chat.conversations, session],
        [chat.chatbot, chat.sources, session, stored],
        **quick,
    )

    # On (re)load: the conversations this browser kept, and filter choices as of the latest ingest.
    app.load(
        backend.restore,
        [stored, session],
        [chat.chatbot, chat.sources, session, chat.conversations, *chat.filters],
        **quick,
    )

    api_question, api_answer = gr.Textbox(visible=False), gr.Textbox(visible=False)
    gr.Button(visible=False).click(
        backend.ask_api,
        [api_question, session],
        [api_answer, session],
        api_name="ask",
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
    app.queue(max_size=settings.max_queue, default_concurrency_limit=2)
    swedish_queue_full(app)
    _, local_url, _ = app.launch(  # its local_url is app.local_url, typed str here (the attribute: None)
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        auth=(user, password) if settings.auth else None,
        auth_message="Logga in med det användarnamn och lösenord du har fått.",
        # max_file_size=0: the app takes no files, so uploads are refused rather than stored and served back.
        allowed_paths=[],
        blocked_paths=blocked_paths(settings, assistant),
        max_file_size=0,
        prevent_thread_lock=prevent_thread_lock,
        quiet=True,
        show_error=False,
        inbrowser=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        state_session_capacity=1000,
        css=CSS,
        i18n=translations(),
        footer_links=["api", "settings"],
        app_kwargs={"middleware": [Middleware(LoginThrottle)]} if settings.auth else None,
    )
    return local_url


def serve(settings: Settings) -> int:
    """`regionkunskap chat`: load the assistant, start the app, print its URL and run until interrupted."""
    assistant = Assistant(settings)
    app = build_app(assistant, settings)
    url = launch(app, settings, assistant, prevent_thread_lock=True)
    print(f"Regionkunskap-chatten körs på {url}" + (" (inloggning krävs)" if settings.auth else ""))
    print("Avsluta med Ctrl+C.")
    app.block_thread()
    return 0
