"""Fixtures for the chat: the assistant over the real corpus store, and the real app served on a free port."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningChat:
    """A launched chat app: where it listens, the settings it runs with, the assistant behind it."""

    url: str
    settings: object
    assistant: object
    app: object

    @property
    def feedback_path(self) -> Path:
        return self.settings.feedback_path


@pytest.fixture(scope="session")
def chat_assistant(corpus_store, e5_embedder, tmp_path_factory):
    """One Assistant over the corpus store, shared by every chat app of the session."""
    from assistant.assistant import Assistant
    from regionkunskap.settings import Settings

    settings = Settings(store=corpus_store.data_dir, feedback_log=tmp_path_factory.mktemp("chat") / "feedback.jsonl")
    return Assistant(settings, store=corpus_store, embedder=e5_embedder)


@pytest.fixture(scope="session")
def start_chat(chat_assistant):
    """start_chat(**setting_overrides) → a RunningChat: the real app on a free loopback port, closed at the end."""
    from assistant.chat.app import build_app, launch

    started: list[RunningChat] = []

    def start(**overrides) -> RunningChat:
        settings = chat_assistant.settings.model_copy(update={"port": free_port(), **overrides})
        app = build_app(chat_assistant, settings)
        url = launch(app, settings, chat_assistant, prevent_thread_lock=True)
        started.append(RunningChat(url=url.rstrip("/"), settings=settings, assistant=chat_assistant, app=app))
        return started[-1]

    yield start
    for running in started:
        running.app.close()


@pytest.fixture(scope="session")
def chat_server(start_chat):
    """The chat app with default settings, started once for the session."""
    return start_chat()
