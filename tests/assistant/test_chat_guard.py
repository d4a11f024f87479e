"""Limits around the chat server: failed logins are throttled per client; a success clears the count;
memory for the count stays bounded; a full queue answers in Swedish."""

from __future__ import annotations

import asyncio

import pytest

from assistant.chat.guard import LOGIN_THROTTLED_SV, QUEUE_FULL_SV, LoginThrottle, swedish_queue_full


def fake_login(status: int):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app


def post(throttle: LoginThrottle, client: str = "10.0.0.1", path: str = "/login") -> tuple[int, bytes]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "client": (client, 1234)}
    asyncio.run(throttle(scope, None, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_a_client_is_refused_after_too_many_failed_logins_and_others_are_not():
    throttle = LoginThrottle(fake_login(400), max_failures=3, window_s=60)
    assert [post(throttle)[0] for _ in range(3)] == [400, 400, 400]
    status, body = post(throttle)
    assert status == 429 and LOGIN_THROTTLED_SV in body.decode("utf-8")
    assert post(throttle, client="10.0.0.2")[0] == 400
    assert throttle.retry_after("10.0.0.1") > 50


def test_failures_older_than_the_window_no_longer_count():
    throttle = LoginThrottle(fake_login(400), max_failures=2, window_s=0.2)
    post(throttle), post(throttle)
    assert post(throttle)[0] == 429
    asyncio.run(asyncio.sleep(0.25))
    assert post(throttle)[0] == 400


def test_a_successful_login_clears_the_count_and_other_routes_pass_untouched():
    throttle = LoginThrottle(fake_login(200), max_failures=1, window_s=60)
    throttle.failed("10.0.0.1")
    assert post(throttle)[0] == 429  # still throttled: success needs a try after the wait
    throttle.succeeded("10.0.0.1")
    assert post(throttle)[0] == 200 and throttle.retry_after("10.0.0.1") == 0
    assert post(LoginThrottle(fake_login(400), max_failures=1), path="/gradio_api/info")[0] == 400


def test_memory_for_failed_logins_is_bounded():
    throttle = LoginThrottle(fake_login(400), max_failures=2, max_clients=100)
    for i in range(1000):
        throttle.failed(f"10.0.{i // 256}.{i % 256}")
    assert len(throttle._failures) == 100


def test_bad_limits_are_refused():
    with pytest.raises(ValueError, match="max_failures"):
        LoginThrottle(fake_login(200), max_failures=0)


def test_a_full_queue_answers_in_swedish():
    class Queue:
        async def push(self, *args, **kwargs):
            return False, "Queue is full. Max size is 1 and size is 1.", "queue_full"

    class App:
        _queue = Queue()

    swedish_queue_full(App)
    assert asyncio.run(App._queue.push()) == (False, QUEUE_FULL_SV, "queue_full")
