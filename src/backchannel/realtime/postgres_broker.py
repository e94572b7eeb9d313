"""PostgreSQL LISTEN/NOTIFY as the broker between server processes.

After commit the writer sends `NOTIFY backchannel, '<topic> <id>'` (payloads are capped near
8 kB, so the event itself is not sent). Each process LISTENs on one connection and, when a
notification names a topic it has readers for, wakes its outbox relay, which reads the new
events of all its topics in one query. A lost notification (a process died between commit and
NOTIFY, the listener was reconnecting) only delays delivery until the relay's next round.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import psycopg
from django.db import DatabaseError, connection
from psycopg.conninfo import make_conninfo

from .hub import Hub
from .messages import StreamMessage

log = logging.getLogger(__name__)
CHANNEL = "backchannel"


def conninfo_from(settings_dict: dict[str, Any]) -> str:
    return make_conninfo(
        dbname=settings_dict.get("NAME") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    )


class PostgresBroker:
    def __init__(self, target: Hub, settings_dict: dict[str, Any]) -> None:
        self.hub = target
        self.settings_dict = settings_dict
        self.wake_relay: Callable[[], None] | None = None  # set by the server
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def publish(self, message: StreamMessage) -> None:
        self.hub.publish(message)  # this process's own readers need no round trip
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_notify(%s, %s)", [CHANNEL, f"{message.topic} {message.id}"]
                )
        except DatabaseError:
            log.warning("NOTIFY failed for event %s; relays deliver it", message.id)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="postgres-broker")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def watch(self, topic: str) -> None:
        # One channel carries every topic; just make sure we are listening (or give up quickly:
        # the relay still delivers).
        try:
            await asyncio.wait_for(self._connected.wait(), 1)
        except TimeoutError:
            log.info("not listening to PostgreSQL yet; %s is served by the relay", topic)

    async def _listen(self) -> None:
        delay = 0.2
        # The database name is read now, not at import: the test runner renames it.
        conninfo = conninfo_from(self.settings_dict)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True, connect_timeout=3
                ) as listener:
                    await listener.execute(f"LISTEN {CHANNEL}")
                    self._connected.set()
                    delay = 0.2
                    self._wake()  # catch up on whatever happened while we were not listening
                    async for notice in listener.notifies():
                        topic = notice.payload.partition(" ")[0]
                        if topic in self.hub.topics:
                            self._wake()
            except asyncio.CancelledError:
                raise
            except (psycopg.Error, OSError) as exc:
                log.warning("PostgreSQL listener lost (%s); reconnecting", exc)
            finally:
                self._connected.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _wake(self) -> None:
        if self.wake_relay:
            self.wake_relay()
