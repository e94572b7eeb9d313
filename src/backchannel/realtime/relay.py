"""The outbox relay: each process reads the outbox for its active topics and dispatches what
its hub has not seen yet.

This is what makes delivery complete whatever the broker does: with one process it is a safety
net; with several processes on SQLite (no broker between them) it *is* the fan-out; with Redis
or PostgreSQL it catches up after a broker outage. Ids commit in order within a topic (see
outbox), so reading "after the last id read" per topic misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import connection

from . import queries
from .actions import prune_stream_events
from .hub import Hub

log = logging.getLogger(__name__)
# Every process prunes the replay log this often (deletes are idempotent, so several may).
PRUNE_EVERY_SECONDS = 3600
T = TypeVar("T")


async def read_db(function: Callable[..., T], *args: Any) -> T:
    """Run a short read in Django's worker thread. With a connection pool, give the connection
    back at once: streams and the relay live for hours and must not hold one while they wait.
    Without a pool (SQLite) the thread keeps its connection: reopening it per read cost more
    than the reads (measured: a fifth of the server's time while 1,000 viewers connected)."""

    def run() -> T:
        try:
            return function(*args)
        finally:
            if connection.settings_dict.get("OPTIONS", {}).get("pool"):
                connection.close()

    return await sync_to_async(run)()


class OutboxRelay:
    def __init__(self, hub: Hub, interval: float) -> None:
        self.hub = hub
        self.interval = interval
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    async def catch_up(self) -> int:
        """Dispatch every committed event after each active topic's position; returns how many."""
        delivered = 0
        while self.hub.positions:
            positions = dict(self.hub.positions)
            batch = await read_db(queries.events_after_positions, positions)
            for message in batch:
                self.hub.dispatch_from_outbox(message)
            delivered += len(batch)
            if len(batch) < queries.RELAY_BATCH:
                break
        return delivered

    def nudge(self) -> None:
        """Read the outbox now (after a broker reconnect)."""
        self._wake.set()

    async def run(self) -> None:
        next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
        while True:
            with contextlib.suppress(TimeoutError):
                # 0 or less: no polling, only when woken (a broker's notification or reconnect).
                await asyncio.wait_for(
                    self._wake.wait(), self.interval if self.interval > 0 else None
                )
            self._wake.clear()
            try:
                await self.catch_up()
            except Exception:  # the database may be restarting; try again next round
                log.warning("outbox relay could not read the outbox", exc_info=True)
            if time.monotonic() >= next_prune:
                next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
                try:
                    await read_db(prune_stream_events)
                except Exception:
                    log.warning("could not prune the stream log", exc_info=True)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
