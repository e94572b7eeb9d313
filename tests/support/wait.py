"""Waiting for a condition with a deadline, never for a fixed time: tests stay steady on a busy
machine and fast on an idle one."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T], what: str, timeout: float = 20, every: float = 0.02
) -> T:
    """Poll `condition` until it returns something true and return it; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"gave up waiting after {timeout} s: {what}"
        time.sleep(every)


def wait_for_subscribers(topic: str, count: int, at_least: bool = False) -> None:
    """Wait until this process's hub has `count` streams on `topic` (the live server runs in
    the test's process)."""
    from backchannel.realtime.hub import hub

    def reached() -> bool:
        have = len(hub.topics.get(topic, ()))
        return have >= count if at_least else have == count

    wait_until(reached, f"{topic} to have {count} streams")
