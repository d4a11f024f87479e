"""The team set-up of the README, as separate processes: a real `chroma run`, one `regionkunskap ingest`, two
`regionkunskap chat --port` replicas on other data directories (other machines, as far as they know), asked
through gradio_client (issue 11)."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.indexing.store import Store

REPO = Path(__file__).resolve().parents[2]
BUDGET = "Hur stor är budgeten för North Sweden Green Deal?"
HSO = (
    "Hälsosam omställning i Västernorrland\n\nProjektet HSO leds av Region Västernorrland. Projektet får "
    "12 miljoner kronor från Europeiska socialfonden och pågår till juni 2026.\n"
)
LATE_QUESTION, LATE_FACT = "Vem leder projektet HSO?", "Region Västernorrland"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(url: str, question: str) -> str:
    from gradio_client import Client

    return Client(url, verbose=False, analytics_enabled=False, download_files=False).predict(question, api_name="/ask")


def sources(reply: str) -> str:
    return reply.split("\n\nKällor:\n", 1)[1] if "\n\nKällor:\n" in reply else ""


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the chat exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the chat did not start at {url}")


@pytest.fixture
def team(chroma_server, tmp_path, regionkunskap_cli):
    """Runs `regionkunskap` as the README's team does: every process with the server URL and one namespace."""
    cli, cli_env = regionkunskap_cli
    started: list[subprocess.Popen] = []

    def env(machine: str) -> dict:
        return cli_env(store=tmp_path / machine, chroma_url=chroma_server.url, namespace="team")

    def run(machine: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(cli), *args], env=env(machine), capture_output=True, text=True, timeout=900)

    def start(machine: str, *args: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            [str(cli), *args], env=env(machine), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        started.append(proc)
        return proc

    yield run, start
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_one_ingest_two_chat_replicas_a_late_document_and_a_refused_second_ingester(chroma_server, tmp_path, team):
    run, start = team
    ingested = run("ingest-machine", "ingest", "--no-progress", str(REPO / "corpus"))
    assert ingested.returncode == 0, ingested.stderr

    ports = [free_port(), free_port()]
    chats = [start(f"chat-machine-{i}", "chat", "--port", str(port)) for i, port in enumerate(ports)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    for url, chat in zip(urls, chats, strict=True):
        wait_until_up(url, chat)

    replies = [ask(url, BUDGET) for url in urls]
    for reply in replies:
        assert "112,5" in reply.split("\n\nKällor:\n")[0]
        assert sources(reply).startswith("[1] The North Sweden Green Deal")
    assert sources(replies[0]) == sources(replies[1]), "both replicas cite the same passages"

    # A document ingested afterwards, from another machine; a second ingester is refused while it holds the lease.
    late = tmp_path / "late"
    late.mkdir()
    (late / "hso.txt").write_text(HSO, encoding="utf-8")
    first = start("ingest-machine-2", "ingest", "--no-progress", str(late))
    lease_held = _wait_for_lease(chroma_server.url, tmp_path, first)
    assert lease_held, "the first ingester never held the lease"
    second = run("ingest-machine-3", "ingest", "--no-progress", str(late))
    assert second.returncode == 1 and second.stderr.count("\n") == 1, second.stderr
    assert re.search(r"another ingest is writing store 'team' \(.*pid \d+", second.stderr)
    assert first.wait(timeout=900) == 0, first.stderr.read()

    for url in urls:  # no restart: each replica sees the committed ingest within seconds
        deadline, reply = time.monotonic() + 10, ""
        while LATE_FACT not in reply.split("\n\nKällor:\n")[0] and time.monotonic() < deadline:
            reply = ask(url, LATE_QUESTION)
            time.sleep(0.5)
        assert LATE_FACT in reply.split("\n\nKällor:\n")[0], f"{url} did not pick up the late document: {reply}"


def _wait_for_lease(url: str, tmp_path: Path, ingest: subprocess.Popen, timeout: float = 600) -> bool:
    """Poll the store's catalog collection until the running ingest's lease record is there."""
    reader = Store(tmp_path / "observer", chroma_url=url, namespace="team")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and ingest.poll() is None:
        col = reader._backend._collection()
        if col is not None and col.get(where={"kind": "lease"}, include=[])["ids"]:
            return True
        time.sleep(0.2)
    return False
