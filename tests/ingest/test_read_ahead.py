"""Reading ahead: the work for the next files runs on one thread, in order, a bounded number of files ahead."""

from __future__ import annotations

import threading
import time

import pytest

from ingest.reading.ahead import ReadAhead


class Recorder:
    """A work function that notes which item ran on which thread, and can be held back or made to fail."""

    def __init__(self, fail: set[str] = frozenset()):
        self.ran: list[tuple[str, str]] = []
        self.fail = fail
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def __call__(self, item: str) -> str:
        self.entered.set()
        self.gate.wait(5)
        self.ran.append((item, threading.current_thread().name))
        if item in self.fail:
            raise ValueError(f"cannot read {item}")
        return item.upper()


def planned(*items: str) -> list[tuple[str, str]]:
    return [(item, item) for item in items]


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_each_item_is_worked_once_in_order_off_the_calling_thread():
    work = Recorder()
    with ReadAhead(work, depth=2) as ahead:
        ahead.plan(planned("a", "b", "c"))
        assert [ahead.take(x, x) for x in "abc"] == ["A", "B", "C"]
    assert [item for item, _ in work.ran] == ["a", "b", "c"]
    assert {thread for _, thread in work.ran} == {"regionkunskap-read-ahead"}


def test_the_work_runs_ahead_of_the_caller_but_no_further_than_the_depth():
    work = Recorder()
    with ReadAhead(work, depth=2) as ahead:
        ahead.plan(planned("a", "b", "c", "d", "e"))
        wait_for(lambda: len(work.ran) == 2)
        time.sleep(0.1)
        assert [item for item, _ in work.ran] == ["a", "b"]  # nothing taken yet: two ahead
        ahead.take("a", "a")
        wait_for(lambda: len(work.ran) == 3)
        time.sleep(0.1)
        assert [item for item, _ in work.ran] == ["a", "b", "c"]  # "a" taken: "b" and "c" ahead


def test_a_failure_reaches_the_caller_for_its_own_item_and_the_rest_goes_on():
    work = Recorder(fail={"b"})
    with ReadAhead(work, depth=2) as ahead:
        ahead.plan(planned("a", "b", "c"))
        assert ahead.take("a", "a") == "A"
        with pytest.raises(ValueError, match="cannot read b"):
            ahead.take("b", "b")
        assert ahead.take("c", "c") == "C"


def test_an_item_outside_the_plan_is_worked_on_the_same_thread_when_taken():
    work = Recorder()
    with ReadAhead(work, depth=1) as ahead:
        ahead.plan(planned("a"))
        assert ahead.take("x", "x") == "X"
        assert ahead.take("a", "a") == "A"
    assert {thread for _, thread in work.ran} == {"regionkunskap-read-ahead"}


def test_a_planned_item_the_caller_passes_over_is_dropped():
    work = Recorder()
    with ReadAhead(work, depth=3) as ahead:
        ahead.plan(planned("a", "b", "c"))
        assert ahead.take("c", "c") == "C"  # "a" and "b" were passed over (say, twins of stored files)
        assert ahead._futures == {}


def test_the_warm_up_runs_first_and_its_failure_does_not_stop_the_work():
    work = Recorder()
    order: list[str] = []

    def warm_up():
        order.append("warm-up")
        raise OSError("the word list is missing")

    with ReadAhead(lambda item: order.append(item) or work(item), depth=1, warm_up=warm_up) as ahead:
        ahead.plan(planned("a"))
        assert ahead.take("a", "a") == "A"
    assert order == ["warm-up", "a"]


def test_closing_drops_the_work_not_started():
    work = Recorder()
    work.gate.clear()  # hold the thread in the first item
    ahead = ReadAhead(work, depth=3)
    ahead.plan(planned("a", "b", "c"))
    assert work.entered.wait(5)
    ahead.close()
    work.gate.set()
    time.sleep(0.2)
    assert [item for item, _ in work.ran] == ["a"]


def test_the_depth_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        ReadAhead(str.upper, depth=0)
