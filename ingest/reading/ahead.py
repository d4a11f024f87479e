"""Read the next files while the current one is embedded: one worker thread a few files ahead of ingest.

    with ReadAhead(read, depth=2, warm_up=load_word_lists) as ahead:  # warming up starts at once
        ...                                                          # open the store, find the files
        ahead.plan([(f.id, f) for f in likely])                      # the files the run will likely read
        for f in files:
            doc = ahead.take(f.id, f)  # read(f), or the exception it raised

Ingest is two kinds of work that barely compete: reading and repairing a file happens in the reader process
(`sandbox`), embedding it in ONNX Runtime or torch, which release the GIL. Done one after the other, every
file's reading waits for the previous file's embedding and the other way round. Here one thread does the
reading work for the `planned` files in order, at most `depth` files ahead of the one the caller takes, so
memory holds no more than `depth` read documents. A file outside the plan (its fate was unclear when the
plan was made) is read on the same thread when it is taken, so the work never runs on two threads at once.
`warm_up` runs on the thread before any work: what a first file would wait for is loaded while the caller
does its own setting up. Its failure is only logged — the work meets the same problem and reports it.

The thread is a daemon: an interrupted ingest does not wait for a read in progress (the reader process has
its own deadline and exits with this process).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
I = TypeVar("I")  # noqa: E741 — the work's input
T = TypeVar("T")


class ReadAhead(Generic[K, I, T]):
    """`work(item)` for the planned items, in order, on one background thread, up to `depth` items ahead."""

    def __init__(self, work: Callable[[I], T], *, depth: int = 2, warm_up: Callable[[], object] | None = None):
        if depth < 1:
            raise ValueError(f"read-ahead depth must be at least 1, not {depth}")
        self._work = work
        self._depth = depth
        self._planned: list[tuple[K, I]] = []
        self._position: dict[K, int] = {}
        self._submitted = 0  # the planned items before this index have been handed to the thread
        self._futures: dict[K, Future[T]] = {}
        self._tasks: queue.SimpleQueue[tuple[I, Future[T]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=self._serve, args=(warm_up,), name="regionkunskap-read-ahead", daemon=True
        )
        self._thread.start()

    def plan(self, items: Sequence[tuple[K, I]]) -> None:
        """The (key, item) pairs the caller expects to take, in order; the thread starts on the first ones."""
        self._planned = list({key: (key, item) for key, item in items}.values())
        self._position = {key: i for i, (key, _) in enumerate(self._planned)}
        self._submitted = 0
        self._advance(0)

    def take(self, key: K, item: I) -> T:
        """`work(item)`, done ahead if `key` was planned (waiting for it if needed); raises what the work raised."""
        index = self._position.get(key)
        if index is not None:
            self._advance(index + 1)
            self._forget_before(index)
        future = self._futures.pop(key, None) or self._submit(item)
        return future.result()

    def close(self) -> None:
        """Drop the work not started; the thread ends after the item it is on."""
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        self._tasks.put(None)

    def __enter__(self) -> ReadAhead[K, I, T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _advance(self, taken: int) -> None:
        """Hand the thread every planned item up to `depth` past the first `taken` ones."""
        while self._submitted < min(taken + self._depth, len(self._planned)):
            key, item = self._planned[self._submitted]
            self._futures[key] = self._submit(item)
            self._submitted += 1

    def _forget_before(self, index: int) -> None:
        """Drop the results of planned items before `index` the caller passed over (a twin, a failed hash)."""
        for key in [k for k in self._futures if self._position.get(k, index) < index]:
            self._futures.pop(key).cancel()

    def _submit(self, item: I) -> Future[T]:
        future: Future[T] = Future()
        self._tasks.put((item, future))
        return future

    def _serve(self, warm_up: Callable[[], object] | None) -> None:
        if warm_up is not None:
            try:
                warm_up()
            except Exception:  # noqa: BLE001 — the work meets the same problem, and reports it for its file
                log.debug("warming up the reader failed", exc_info=True)
        while (task := self._tasks.get()) is not None:
            item, future = task
            if not future.set_running_or_notify_cancel():
                continue  # dropped by close()
            try:
                future.set_result(self._work(item))
            except BaseException as exc:  # noqa: BLE001 — handed to the caller of take(), which decides
                future.set_exception(exc)
