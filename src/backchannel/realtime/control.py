"""The control topic: instructions to every server process, carried like any stream event
(outbox, broker, relay), so they reach each process once, after commit, even across a broker
outage. Two instructions: close the streams whose right to read is gone (a suspension, a
closed account, a revoked token, a sign-out, an event turned join-code), and forget the rows
this process keeps of tables that changed (db/rowcache.py)."""

from __future__ import annotations

import asyncio
import json
import logging

from django.db import DatabaseError

from backchannel.db import rowcache

from .broker import get_broker
from .hub import Hub, Subscriber
from .messages import StreamMessage
from .outbox import CONTROL_TOPIC
from .queries import current_position
from .relay import read_db

log = logging.getLogger(__name__)


class ControlSubscriber(Subscriber):
    """Acts on each control message as the hub delivers it, instead of queueing it."""

    __slots__ = ("hub",)

    def __init__(self, hub: Hub) -> None:
        super().__init__(CONTROL_TOPIC, limit=1)
        self.hub = hub

    def push(self, message: StreamMessage) -> None:
        payload = message.payload
        if payload is None:  # read back from the outbox by the relay
            payload = json.loads(message.payload_json or "{}")
        if message.type == "rows.changed":
            rowcache.forget(str(label) for label in payload.get("models", ()))
        elif message.type == "streams.revoke":
            closed = self.hub.close_streams(
                user_id=_int_or_none(payload.get("user_id")),
                event_id=_int_or_none(payload.get("event_id")),
                credential=payload.get("credential"),
                public_only=bool(payload.get("public_only")),
            )
            log.info("closed %d stream(s): %s", closed, payload)


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(str(value))


RETRY_SECONDS = 5.0


async def watch_control(hub: Hub) -> asyncio.Task[None] | None:
    """Subscribe this process to the control topic, from the current position on. Done before
    the server takes requests, so no stream opens unwatched; when the database cannot be
    reached at startup (the server still starts, and answers 503 meanwhile), a background task
    keeps trying and is returned."""
    try:
        await _subscribe(hub)
    except DatabaseError:
        log.warning("database unavailable at startup; watching the control topic later")
        return asyncio.create_task(_subscribe_when_possible(hub))
    return None


async def _subscribe(hub: Hub) -> None:
    position = await read_db(current_position, CONTROL_TOPIC)
    hub.add(ControlSubscriber(hub), position)
    await get_broker().watch(CONTROL_TOPIC)


async def _subscribe_when_possible(hub: Hub) -> None:
    while True:
        await asyncio.sleep(RETRY_SECONDS)
        try:
            await _subscribe(hub)
        except DatabaseError:
            continue
        return
