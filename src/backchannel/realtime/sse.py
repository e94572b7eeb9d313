"""The SSE endpoint, as a bare ASGI app: `GET /api/v1/sessions/{id}/stream`.

It lives outside Django's request cycle because a stream stays open for hours: per connection it
holds one coroutine and one small subscriber, and writes bytes the hub encoded once for everyone.
Django is used only for the two short, synchronous steps: who is asking, and what they may read.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import re
import time
from http.cookies import SimpleCookie
from importlib import import_module
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.auth import get_user
from django.db import DatabaseError

from backchannel.accounts.tokens import bearer_from_header, user_for_token
from backchannel.errors import ActionError
from backchannel.events.queries import get_session_for
from backchannel.web.middleware import RETRY_AFTER_SECONDS

from . import queries
from .broker import get_broker
from .hub import Subscriber, hub
from .relay import read_db

log = logging.getLogger(__name__)

STREAM_PATH = re.compile(r"^/api/v1/sessions/(\d{1,18})/stream/?$")
REPLAY_BATCH = 500
RECENT_IDS = 256

Scope = dict[str, Any]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _user_for(cookie_header: str | None, authorization: str | None) -> Any:
    token = bearer_from_header(authorization)
    if token:
        return user_for_token(token)
    session_key = None
    if cookie_header:
        cookies: SimpleCookie = SimpleCookie()
        with contextlib.suppress(Exception):
            cookies.load(cookie_header)
        morsel = cookies.get(settings.SESSION_COOKIE_NAME)
        session_key = morsel.value if morsel else None
    engine = import_module(settings.SESSION_ENGINE)
    request = SimpleNamespace(session=engine.SessionStore(session_key))
    return get_user(request)  # type: ignore[arg-type]


def _open(
    session_id: int, cookie: str | None, authorization: str | None, position: int | None
) -> tuple[str, int]:
    """The topic this reader may stream and where to start (one trip to the worker thread).

    Raises ActionError (404 hides private sessions). A fresh stream starts at the topic's
    current position, read *before* the caller subscribes: whatever commits from then on is
    either in the replay or in the subscriber's queue, so nothing falls in between."""
    user = _user_for(cookie, authorization)
    if user is None:
        raise ActionError("That token is not valid.", code="unauthorized")
    topic = get_session_for(user, session_id).topic
    return topic, queries.current_position(topic) if position is None else position


def _parse_position(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 18:
        raise ValueError(value)
    return int(value)


async def _send_json_error(
    send: Any, status: int, message: str, code: str, retry_after: int | None = None
) -> None:
    body = json.dumps({"detail": message, "code": code}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def stream_app(scope: Scope, receive: Any, send: Any, session_id: int) -> None:
    if scope["method"] not in ("GET", "HEAD"):
        await _send_json_error(send, 405, "Use GET to read a stream.", "method_not_allowed")
        return
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    try:
        header_position = _parse_position(_header(scope, b"last-event-id"))
        query_position = _parse_position(query.get("since", [None])[-1])
    except ValueError:
        await _send_json_error(
            send, 400, "Last-Event-ID and since must be event ids.", "bad_position"
        )
        return
    positions = [p for p in (header_position, query_position) if p is not None]
    position = max(positions) if positions else None

    try:
        topic, start = await read_db(
            _open,
            session_id,
            _header(scope, b"cookie"),
            _header(scope, b"authorization"),
            position,
        )
    except ActionError as exc:
        status = 401 if exc.code == "unauthorized" else 404
        await _send_json_error(send, status, exc.message, exc.code)
        return
    except DatabaseError:
        log.warning("database unavailable while opening a stream", exc_info=True)
        await _send_json_error(
            send,
            503,
            "The service is briefly unavailable. Try again shortly.",
            "unavailable",
            retry_after=RETRY_AFTER_SECONDS,
        )
        return

    fresh = position is None
    position = start
    subscriber = hub.subscribe(topic, settings.BACKCHANNEL_CLIENT_BUFFER, position)
    # Make sure other processes' events reach this one before reading the replay, so nothing
    # published meanwhile falls between the replay and the live messages.
    await get_broker().watch(topic)
    disconnected = asyncio.Event()

    async def watch_disconnect() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected.set()
                subscriber.wakeup.set()
                return

    watcher = asyncio.create_task(watch_disconnect())
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache, no-transform"),
                    (b"x-accel-buffering", b"no"),
                ],
            }
        )
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        await _pump(send, subscriber, topic, position, fresh, disconnected)
    except OSError:
        pass  # the client went away mid-write
    finally:
        hub.unsubscribe(subscriber)
        watcher.cancel()


class _Delivered:
    """Which event ids this stream has written: everything up to `start` (the client had it),
    `highest`, and the most recent ids, so a message that arrives late (two writers' commit
    hooks racing) is still delivered once rather than dropped."""

    __slots__ = ("highest", "recent", "recent_set", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        self.highest = start
        self.recent: collections.deque[int] = collections.deque(maxlen=RECENT_IDS)
        self.recent_set: set[int] = set()

    def is_new(self, event_id: int) -> bool:
        if event_id > self.highest:
            return True
        return event_id > self.start and event_id not in self.recent_set

    def add(self, event_id: int) -> None:
        if len(self.recent) == self.recent.maxlen:
            self.recent_set.discard(self.recent[0])
        self.recent.append(event_id)
        self.recent_set.add(event_id)
        self.highest = max(self.highest, event_id)


async def _pump(
    send: Any,
    subscriber: Subscriber,
    topic: str,
    position: int,
    fresh: bool,
    disconnected: asyncio.Event,
) -> None:
    async def write(chunk: bytes) -> None:
        subscriber.last_write = time.monotonic()
        await send({"type": "http.response.body", "body": chunk, "more_body": True})

    # A fresh stream gets a resume point before any event arrives: an `id:` line alone sets
    # EventSource's last event id without dispatching an event.
    await write(f"retry: 2000\nid: {position}\n\n".encode() if fresh else b"retry: 2000\n\n")
    delivered = _Delivered(position)
    while True:  # replay what the client missed, from the database
        missed = await read_db(queries.events_after, topic, delivered.highest, REPLAY_BATCH)
        if missed:
            await write(b"".join(m.encoded for m in missed))
            for message in missed:
                delivered.add(message.id)
        if len(missed) < REPLAY_BATCH:
            break

    while not disconnected.is_set():
        if subscriber.queue:
            chunks = []
            while subscriber.queue:
                message = subscriber.queue.popleft()
                if delivered.is_new(message.id):
                    chunks.append(message.encoded)
                    delivered.add(message.id)
            if chunks:
                await write(b"".join(chunks))
            continue
        if subscriber.overflowed:
            return  # too far behind: end the response; the client resumes from its last id
        if subscriber.heartbeat_due:  # set by the hub's once-a-second tick (hub.heartbeats)
            subscriber.heartbeat_due = False
            await write(b": heartbeat\n\n")
            continue
        subscriber.wakeup.clear()
        await subscriber.wakeup.wait()
