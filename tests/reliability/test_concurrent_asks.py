"""50 concurrent questions through a real chat server's `/ask` endpoint, each from its own client: every one is
answered, and each answer is exactly the one that question gets when asked alone (nothing mixes)."""

from __future__ import annotations

import json
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CALLS = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chat_url(corpus_store, e5_embedder, tmp_path_factory):
    from assistant.assistant import Assistant
    from assistant.chat.app import build_app, launch
    from regionkunskap.settings import Settings

    settings = Settings(
        store=corpus_store.data_dir,
        port=free_port(),
        max_queue=CALLS + 14,
        feedback_log=tmp_path_factory.mktemp("chat") / "feedback.jsonl",
    )
    assistant = Assistant(settings, store=corpus_store, embedder=e5_embedder)
    app = build_app(assistant, settings)
    url = launch(app, settings, assistant, prevent_thread_lock=True)
    yield url.rstrip("/")
    app.close()


def distinct_questions(url: str, n: int) -> dict[str, str]:
    """`n` eval questions whose answers, asked alone, all differ (so a mixed-up answer shows), with those answers."""
    lines = (REPO / "evals" / "datasets" / "regionkunskap.jsonl").read_text(encoding="utf-8").splitlines()
    alone: dict[str, str] = {}
    for question in (q["question"] for q in map(json.loads, lines) if q.get("answerable")):
        reply = ask(url, question)
        if reply not in alone.values():
            alone[question] = reply
        if len(alone) == n:
            return alone
    raise AssertionError(f"the eval set has fewer than {n} questions with distinct answers")


def ask(url: str, question: str) -> str:
    from gradio_client import Client

    # A generous client timeout: this checks answers under concurrency, not latency (that is a benchmark's job).
    client = Client(url, verbose=False, analytics_enabled=False, download_files=False, httpx_kwargs={"timeout": 300})
    return client.predict(question, api_name="/ask")


def test_fifty_concurrent_asks_are_all_answered_and_never_mixed(chat_url):
    alone = distinct_questions(chat_url, 10)
    asked = list(alone)
    batch = [asked[i % len(asked)] for i in range(CALLS)]
    with ThreadPoolExecutor(max_workers=CALLS) as pool:
        replies = list(pool.map(lambda q: ask(chat_url, q), batch))
    mixed = [(q, r[:80]) for q, r in zip(batch, replies, strict=True) if r != alone[q]]
    assert not mixed, (
        f"{len(mixed)} of {CALLS} concurrent answers differ from the same question asked alone: {mixed[:3]}"
    )
