"""The chat app over real HTTP: the `ask` endpoint through gradio_client, sessions, limits, auth and files.

One app is started for the module (see conftest.py) on a free loopback port; every request is real HTTP.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError

pytestmark = pytest.mark.slow


def client(url: str, **kwargs) -> Client:
    return Client(url, verbose=False, analytics_enabled=False, download_files=False, **kwargs)


def sources_of(text: str) -> str:
    """The sources part of an `ask` reply."""
    return text.split("\n\nKällor:\n", 1)[1] if "\n\nKällor:\n" in text else ""


# --- the ask endpoint --------------------------------------------------------------------------------------


def test_ask_returns_the_answer_then_its_numbered_sources(chat_server):
    reply = client(chat_server.url).predict("Hur stor är budgeten för North Sweden Green Deal?", api_name="/ask")

    answer, _, sources = reply.partition("\n\nKällor:\n")
    assert "112,5" in answer and "[1]" in answer
    assert sources.startswith("[1] The North Sweden Green Deal")
    assert '"Den totala budgeten' in sources  # the quoted sentence follows its source


def test_a_follow_up_question_keeps_the_subject_and_cites_its_own_sources(chat_server):
    c = client(chat_server.url)
    first = c.predict("Vilken kommun är projektägare för SAM?", api_name="/ask")
    follow_up = c.predict("Och vilken är projektperioden?", api_name="/ask")

    assert "Sundsvalls kommun" in first
    assert "2026" in follow_up.split("\n\nKällor:")[0]
    assert "(HSO och SAM)" in sources_of(follow_up)
    assert "21 december 2026" in sources_of(follow_up)  # the follow-up's [1] is its own quote, not the first's


def test_each_client_session_has_its_own_conversation(chat_server):
    about_sam, about_green_deal = client(chat_server.url), client(chat_server.url)
    about_sam.predict("Vilken kommun är projektägare för SAM?", api_name="/ask")
    about_green_deal.predict("Hur stor är budgeten för North Sweden Green Deal?", api_name="/ask")

    sam_end = about_sam.predict("Och vilken är projektperioden?", api_name="/ask")
    green_deal_end = about_green_deal.predict("Och vilken är projektperioden?", api_name="/ask")

    assert "(HSO och SAM)" in sources_of(sam_end) and "Green Deal" not in sources_of(sam_end)
    assert "The North Sweden Green Deal" in sources_of(green_deal_end) and "SAM" not in sources_of(green_deal_end)


def test_a_fresh_session_has_no_subject_to_carry_over(chat_server):
    reply = client(chat_server.url).predict("Och när slutar det?", api_name="/ask")
    # Another session asked about SAM; this one has said nothing "det" could be, so it is not answered. (The
    # closest passages listed with the decline may be any document's.)
    assert reply.startswith("Jag hittar inget svar"), reply


def test_a_question_without_an_answer_shows_the_closest_passages_marked_as_such(chat_server):
    reply = client(chat_server.url).predict("Hur många anställda har SAM?", api_name="/ask")
    assert "Närmaste avsnitt (svarar inte på frågan):" in reply


def test_an_off_topic_question_lists_no_unrelated_passages(chat_server):
    reply = client(chat_server.url).predict("Vad kostar en pizza i Rom?", api_name="/ask")
    assert reply.startswith("Jag hittar inget svar") and "Närmaste avsnitt" not in reply and "[1]" not in reply
    assert "Källor:" not in reply


def test_empty_and_overlong_questions_are_refused_in_swedish(chat_server):
    c = client(chat_server.url)
    with pytest.raises(AppError, match="Skriv en fråga först"):
        c.predict("   ", api_name="/ask")
    too_long = "Vilken kommun är projektägare för SAM? " * (chat_server.settings.max_question_chars // 10)
    with pytest.raises(AppError, match=f"högst {chat_server.settings.max_question_chars} tecken"):
        c.predict(too_long, api_name="/ask")


def test_ask_is_the_only_public_endpoint(chat_server):
    endpoints = client(chat_server.url).view_api(print_info=False, return_format="dict")
    assert set(endpoints["named_endpoints"]) == {"/ask"}
    assert not endpoints["unnamed_endpoints"]


# --- safe by default ---------------------------------------------------------------------------------------


def raw_get(url: str, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    """GET `path` exactly as written: no client-side normalisation of `..` or percent-escapes."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_app_itself_is_served(chat_server):
    status, body = raw_get(chat_server.url, "/")
    assert status == 200 and b"<html" in body.lower()


def test_no_file_of_the_store_the_system_or_a_dotdot_path_is_served(chat_server, corpus_store):
    catalog = corpus_store.catalog_path
    sqlite = next(corpus_store.data_dir.glob("chroma/*.sqlite3"))
    paths = [
        f"/gradio_api/file={catalog}",
        f"/gradio_api/file={sqlite}",
        f"/gradio_api/file={corpus_store.data_dir}/../{corpus_store.data_dir.name}/catalog.json",
        f"/gradio_api/file={str(catalog).replace('/', '%2F')}",
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file=../../etc/passwd",
        "/gradio_api/file=..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/gradio_api/file=corpus/manifest.toml",
        "/file=/etc/passwd",
    ]
    secrets = [catalog.read_bytes()[:200], b"root:", b"SQLite format", b"[documents."]
    for path in paths:
        status, body = raw_get(chat_server.url, path)
        assert status in (403, 404), f"{path} → {status}"
        assert not any(secret in body for secret in secrets), path


def test_uploads_are_refused(chat_server):
    parts = urlsplit(chat_server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nhello\r\n--x--\r\n'
    conn.request("POST", "/gradio_api/upload", body, {"Content-Type": "multipart/form-data; boundary=x"})
    status = conn.getresponse().status
    conn.close()
    assert status == 413


def test_it_binds_to_loopback_and_never_shares(chat_server):
    assert urlsplit(chat_server.url).hostname == "127.0.0.1"
    assert chat_server.app.share is False
    assert chat_server.app.share_url is None


def test_with_auth_an_unauthenticated_call_is_refused(start_chat):
    running = start_chat(auth="personal:hemligt-ord")
    with pytest.raises(AuthenticationError):
        client(running.url).predict("Vilken kommun är projektägare för SAM?", api_name="/ask")
    status, _ = raw_get(running.url, "/gradio_api/info")
    assert status == 401
    reply = client(running.url, auth=("personal", "hemligt-ord")).predict(
        "Vilken kommun är projektägare för SAM?", api_name="/ask"
    )
    assert "Sundsvalls kommun" in reply


def post(url: str, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("POST", path, body, {"Content-Type": content_type})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_with_auth_failed_logins_are_throttled_per_client(start_chat):
    running = start_chat(auth="personal:hemligt-ord")

    def login(password):
        return post(
            running.url,
            "/login/",
            f"username=personal&password={password}".encode(),
            "application/x-www-form-urlencoded",
        )

    assert [login("fel")[0] for _ in range(5)] == [400] * 5
    status, body = login("hemligt-ord")  # even the right password waits until the window has passed
    assert status == 429 and "För många misslyckade inloggningar" in body.decode("utf-8")


def test_a_full_queue_is_refused_in_swedish(start_chat):
    running = start_chat()
    running.app._queue.max_size = 0  # full, whatever comes
    fn_index = next(i for i, fn in running.app.fns.items() if fn.api_name == "ask")
    body = {
        "data": ["Vilken kommun är projektägare för SAM?"],
        "fn_index": fn_index,
        "session_hash": "kö",
        "event_data": None,
        "trigger_id": None,
    }
    status, reply = post(running.url, "/gradio_api/queue/join", json.dumps(body).encode(), "application/json")
    assert status == 503 and "kön är full" in json.loads(reply)["detail"]
