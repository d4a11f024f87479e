"""Limits around the chat server: failed logins throttled per client, and a Swedish "queue full" reply.

Gradio checks passwords in its own /login route and refuses a full queue in its own words; both are
wrapped here rather than re-implemented.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict, deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

QUEUE_FULL_SV = "Det är många frågor just nu och kön är full. Vänta en stund och försök igen."
LOGIN_THROTTLED_SV = "För många misslyckade inloggningar. Vänta en minut och försök igen."


class LoginThrottle:
    """ASGI middleware: a client (by address) with `max_failures` failed logins within `window_s` seconds
    is refused further attempts (HTTP 429) until the oldest of them is `window_s` old."""

    def __init__(self, app: ASGIApp, max_failures: int = 5, window_s: float = 60.0, max_clients: int = 10_000):
        if max_failures < 1 or window_s <= 0:
            raise ValueError("LoginThrottle needs max_failures >= 1 and window_s > 0")
        self.app = app
        self.max_failures, self.window_s, self.max_clients = max_failures, window_s, max_clients
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.retry_after(client)
        if wait > 0:
            await _refuse(send, wait)
            return
        status: list[int] = []

        async def send_and_watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, send_and_watch)
        if status and status[0] in (400, 401, 403):
            self.failed(client)
        elif status and status[0] < 300:
            self.succeeded(client)

    def retry_after(self, client: str) -> float:
        """Seconds until `client` may try again (0: now)."""
        now = time.monotonic()
        with self._lock:
            times = self._failures.get(client)
            while times and now - times[0] >= self.window_s:
                times.popleft()
            if not times or len(times) < self.max_failures:
                return 0.0
            return self.window_s - (now - times[0])

    def failed(self, client: str) -> None:
        with self._lock:
            times = self._failures.setdefault(client, deque(maxlen=self.max_failures))
            times.append(time.monotonic())
            self._failures.move_to_end(client)
            while len(self._failures) > self.max_clients:  # memory stays bounded whatever the traffic
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


async def _refuse(send: Send, wait: float) -> None:
    body = json.dumps({"detail": LOGIN_THROTTLED_SV}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"retry-after", str(int(wait) + 1).encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def swedish_queue_full(app) -> None:
    """Make the app's queue refuse in Swedish when it is full (scripts see the message; the page's own
    English text is translated by the page script)."""
    queue = app._queue
    push = queue.push

    async def push_in_swedish(*args, **kwargs):
        accepted, detail, state = await push(*args, **kwargs)
        return accepted, (QUEUE_FULL_SV if state == "queue_full" else detail), state

    queue.push = push_in_swedish
