"""Waiting on things that send no event: poll a check until it holds or a deadline passes.

Only for outside systems that cannot tell a test when they are ready (a browser's page, a web
server making room for a session). Everything else waits on an event: Pilot's ``pause()`` (the
app's messages), ``workers.wait_for_complete()``, a child's output (``support.terminal``), a
process's ``wait()``. The suite's rules (tests/unit/test_suite_rules.py) allow ``sleep`` here only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

INTERVAL = 0.1
"""Seconds between two checks."""


def poll_until(check: Callable[[], T], what: str, timeout: float = 60.0) -> T:
    """The first true result of ``check()``; fails naming ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(INTERVAL)


async def poll_until_async(
    check: Callable[[], Awaitable[T]], what: str, timeout: float = 60.0
) -> T:
    """``poll_until`` for a coroutine check, without blocking the event loop."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(INTERVAL)
