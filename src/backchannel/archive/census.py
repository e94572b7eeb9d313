"""Once a minute, each server process writes down how many people were watching each feed.

The hub notes the most subscribers a topic had since the last census (one comparison when a
stream opens); this task (beside the analytics that read them) keeps one row per feed, minute
and process. The analytics add processes up (archive/analytics.py)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Callable

from django.db import DatabaseError
from django.utils import timezone

from backchannel.realtime.hub import Hub
from backchannel.realtime.relay import read_db

from .actions import record_viewers

log = logging.getLogger(__name__)

PROCESS = f"{socket.gethostname()[:60]}:{os.getpid()}"

# Only the feeds people read are counted: sessions and lobbies, not private topics.
COUNTED = ("session:", "event:")


async def take_census(hub: Hub) -> int:
    """Record the peaks since the last census; returns how many feeds had viewers."""
    peaks = {t: n for t, n in hub.take_peaks().items() if t.startswith(COUNTED)}
    if not peaks:
        return 0
    try:
        await read_db(record_viewers, peaks, timezone.now(), PROCESS)
    except DatabaseError:  # the next census carries on; a minute of counts is not worth more
        log.warning("could not record viewer counts", exc_info=True)
    return len(peaks)


async def census(hub: Hub, interval: Callable[[], float]) -> None:
    """Run `take_census` every `interval()` seconds, for as long as the process serves."""
    last = time.monotonic()
    while True:
        await asyncio.sleep(1)
        if time.monotonic() - last >= interval():
            last = time.monotonic()
            await take_census(hub)
