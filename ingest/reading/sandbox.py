"""Read files in a separate process with a deadline and a memory cap, so one file never stalls or sinks the batch.

    doc = read_sandboxed(build_document, source.path, source, content_hash, limits=limits)

Parsers spend most of their time in C (lxml, zlib, regular expressions), where no Python timeout can stop
them; a child process can always be killed. One long-lived reader process (started with `spawn`, so it
shares no threads or locks with the embedder) serves the files one at a time:

- a call that overruns `limits.read_timeout_s` gets the process killed and a `LoadError` naming the setting;
- the process runs under an address-space limit of its start-up size plus `limits.read_memory_mb`, so a
  file that needs more fails with MemoryError inside the process and is reported as too demanding, and the
  ingest process itself never holds the file's parse trees;
- a process that died (killed, crashed) or grew large is replaced before the next file;
- log records from the reader are re-emitted in the caller, and an idle reader exits by itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import resource
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from regionkunskap.errors import LoadError

from .limits import ReadLimits

log = logging.getLogger(__name__)

# A fresh reader imports the reading code before it acknowledges a call (not counted against the file) and
# loads the repair lexicon during its first file (counted, with this grace).
STARTUP_TIMEOUT_S = 120.0
FIRST_FILE_GRACE_S = 10.0
# The reader exits after this long without work; the caller replaces it sooner, so no call meets a dying reader.
IDLE_EXIT_S = 300.0
IDLE_REPLACE_S = IDLE_EXIT_S / 2


def read_sandboxed(func: Callable[..., Any], path: Path, *args: Any, limits: ReadLimits, **kwargs: Any) -> Any:
    """`func(*args, limits=limits, **kwargs)` in the reader process; LoadError for `path` past a limit."""
    global _READER
    with _LOCK:
        if _READER is None or _READER.memory_mb != limits.read_memory_mb:
            if _READER is not None:
                _READER.close()
            _READER = _Reader(limits.read_memory_mb)
        return _READER.call(func, path, args, {**kwargs, "limits": limits}, limits.read_timeout_s)


def shutdown() -> None:
    """Stop the reader process (it also stops by itself when idle, or with this process)."""
    global _READER
    with _LOCK:
        if _READER is not None:
            _READER.close()
            _READER = None


class _Reader:
    """One reader process and the pipe to it."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._last_used = 0.0

    def call(self, func, path: Path, args: tuple, kwargs: dict, timeout_s: float) -> Any:
        status, value, records = self._exchange(func, path, args, kwargs, timeout_s)
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        if status in ("memory", "recycle"):
            self._kill()  # it has exited or is exiting: a large or fragmented heap is not reused
        if status == "memory":
            raise LoadError(
                path,
                f"reading it needs more than {self.memory_mb} MB of memory (REGIONKUNSKAP_READ_MEMORY_MB)",
                "split the file, or raise the limit if it is genuine",
            )
        if status == "error":
            raise value
        return value

    def _exchange(self, func, path: Path, args: tuple, kwargs: dict, timeout_s: float) -> tuple[str, Any, list]:
        """Send one call and wait for its reply; a reader found dead before it started is replaced once."""
        for attempt in range(2):
            fresh = self._ensure_running()
            conn = self._conn
            assert conn is not None  # _ensure_running leaves one
            try:
                conn.send((func, args, kwargs))
                if not conn.poll(STARTUP_TIMEOUT_S):
                    self._kill()
                    raise LoadError(
                        path,
                        f"the reader process did not start within {STARTUP_TIMEOUT_S:g} s",
                        "the machine may be overloaded; try again",
                    )
                conn.recv()  # "started": the call's code is imported, the file's time begins
                if not conn.poll(timeout_s + (FIRST_FILE_GRACE_S if fresh else 0.0)):
                    self._kill()
                    raise LoadError(
                        path,
                        f"reading took longer than {timeout_s:g} s (REGIONKUNSKAP_READ_TIMEOUT_S)",
                        "check the file opens normally; if it is genuine and large, raise the limit",
                    )
                reply = conn.recv()
            except (EOFError, OSError):
                code = self._exit_code()
                self._kill()
                if fresh or attempt:
                    raise LoadError(
                        path,
                        f"the reader process died while reading it (exit code {code})",
                        "check the file opens normally; it may be damaged or built to crash parsers",
                    ) from None
                continue  # it was an old reader that had just exited: start a fresh one and try again
            self._last_used = time.monotonic()
            return reply
        raise AssertionError("unreachable")

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        self._process.join(timeout=2)
        return self._process.exitcode

    def _ensure_running(self) -> bool:
        """Start the process unless a live, recently used one is there; True if a new one was started."""
        alive = self._process is not None and self._process.is_alive()
        if alive and time.monotonic() - self._last_used < IDLE_REPLACE_S:
            return False
        self._kill()
        parent, child = multiprocessing.get_context("spawn").Pipe()
        process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(child, self.memory_mb), name="regionkunskap-reader", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        self._last_used = time.monotonic()
        return True

    def _kill(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=10)
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None

    close = _kill


_LOCK = threading.Lock()
_READER: _Reader | None = None


# --- inside the reader process ---------------------------------------------------------------------------


def _serve(conn, memory_mb: int) -> None:
    """The reader's loop: one call at a time, under an address-space limit; exits when idle or orphaned."""
    records: list[tuple[str, int, str]] = []
    logging.getLogger().addHandler(_Collect(records))
    logging.getLogger().setLevel(logging.INFO)
    limited = False
    while conn.poll(IDLE_EXIT_S):
        try:
            func, args, kwargs = conn.recv()  # unpickling imports the function's module
        except (EOFError, OSError):
            return
        conn.send("started")
        if not limited:  # after the first unpickle imported the code: the limit is for the file's work only
            _limit_address_space(memory_mb)
            limited = True
        records.clear()
        try:
            reply = ("ok", func(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 — everything goes back to the caller, which decides
            reply = ("memory", None) if _caused_by_memory(exc) else ("error", _picklable(exc))
        if reply[0] == "ok" and _rss_mb() > memory_mb / 2:
            reply = ("recycle", reply[1])
        conn.send((*reply, list(records)))
        if reply[0] in ("memory", "recycle"):
            return  # its heap is fragmented or huge: let the caller start a fresh one


class _Collect(logging.Handler):
    """Keeps the reader's log records (level INFO and up) to send back with the result."""

    def __init__(self, records: list):
        super().__init__(level=logging.INFO)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _limit_address_space(memory_mb: int) -> None:
    size = _status_kb("VmSize") * 1024
    if size:
        limit = size + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))


def _rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def _status_kb(field: str) -> int:
    """A field of /proc/self/status in kB (0 where /proc is not there)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory of process `pid` and all its descendants (e.g. an ingest and its reader), from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue  # the process ended while we looked
    return total / 1024


def _caused_by_memory(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        text = str(exc).lower()
        if isinstance(exc, MemoryError) or ("memory" in text and "alloc" in text):  # lxml: "Memory allocation failed"
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _picklable(exc: BaseException) -> BaseException:
    """The exception itself if it survives the pipe, else a RuntimeError with its type and message."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 — any pickling failure means: send a plain copy
        return RuntimeError(f"{type(exc).__name__}: {exc}")


if os.name != "posix":  # pragma: no cover — the project runs on Linux; elsewhere reading stays in-process

    def read_sandboxed(  # noqa: F811
        func: Callable[..., Any], path: Path, *args: Any, limits: ReadLimits, **kwargs: Any
    ) -> Any:
        return func(*args, limits=limits, **kwargs)
