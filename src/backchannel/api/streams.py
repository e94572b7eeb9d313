"""The SSE endpoint, as a bare ASGI app: `GET /api/v1/sessions/{id}/stream`.

It lives outside Django's request cycle because a stream stays open for hours: per connection it
holds one coroutine and one small subscriber, and writes bytes the hub encoded once for everyone.
Django is used only for the two short, synchronous steps: who is asking, and what they may read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from http.cookies import SimpleCookie
from importlib import import_module
from types import SimpleNamespace
from typing import Any, NamedTuple
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.auth import get_user
from django.db import DatabaseError

from backchannel.accounts.tokens import bearer_from_header, token_for
from backchannel.errors import RETRY_AFTER_SECONDS, ActionError, NotAllowed
from backchannel.events import permissions as event_permissions
from backchannel.events.queries import get_event_for, get_session_brief_for
from backchannel.realtime import queries
from backchannel.realtime.broker import get_broker
from backchannel.realtime.hub import Subscriber, hub
from backchannel.realtime.outbox import session_credential, token_credential
from backchannel.realtime.relay import read_db
from backchannel.text import whole_number

log = logging.getLogger(__name__)

REPLAY_BATCH = 500

Scope = dict[str, Any]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _reader_for(cookie_header: str | None, authorization: str | None) -> tuple[Any, str | None]:
    """Who reads (None: a token that is not valid), and the credential they read with, so
    the stream closes when it is revoked or signed out."""
    raw = bearer_from_header(authorization)
    if raw:
        token = token_for(raw)
        if token is None:
            return None, None
        return token.user, token_credential(token.pk)
    session_key = None
    if cookie_header:
        cookies: SimpleCookie = SimpleCookie()
        with contextlib.suppress(Exception):
            cookies.load(cookie_header)
        morsel = cookies.get(settings.SESSION_COOKIE_NAME)
        session_key = morsel.value if morsel else None
    engine = import_module(settings.SESSION_ENGINE)
    request = SimpleNamespace(session=engine.SessionStore(session_key))
    user = get_user(request)  # type: ignore[arg-type]
    if user.is_authenticated and session_key:
        return user, session_credential(session_key)
    return user, None


@dataclass(frozen=True)
class Opened:
    topic: str
    start: int  # the reader has every event up to this id
    current: int  # the topic's newest committed id when the stream opened
    user_id: int | None  # a signed-in reader (their streams close if they are suspended)
    event_id: int | None
    credential: str | None  # what they read with (a token, a session)
    public_only: bool  # only the event's being public lets them read


class Grant(NamedTuple):
    """What a stream's rule grants: its topic, the event it belongs to, and whether only the
    event's being public allows this reader (they are not a member)."""

    topic: str
    event_id: int | None
    public_only: bool = False


def _session_topic(user: Any, key: str) -> Grant:
    session = get_session_brief_for(user, int(key))
    event = session.event
    if event_permissions.is_shut_out(user, event):
        raise NotAllowed("You cannot follow this event live right now.", code="suspended")
    public_only = event.is_public and not (
        getattr(user, "is_staff", False) or event_permissions.role_at(user, event) is not None
    )
    return Grant(session.topic, event.pk, public_only)


def _moderation_topic(user: Any, slug: str) -> Grant:
    if not user.is_authenticated:
        raise ActionError("Sign in to follow the moderation queue.", code="unauthorized")
    event = get_event_for(user, slug)
    if not event_permissions.can_moderate_event(user, event):
        raise NotAllowed("Only the event's facilitators can follow its moderation queue.")
    return Grant(f"mod:{event.pk}", event.pk)


def _own_topic(user: Any, _: str) -> Grant:
    if not user.is_authenticated:
        raise ActionError("Sign in to follow your notifications.", code="unauthorized")
    return Grant(f"user:{user.pk}", None)


# The streams, each with the rule that says who may read it: a session's feed (public where
# the event is), an event's moderation queue (facilitators), a person's own topic (them).
STREAM_ROUTES: list[tuple[re.Pattern[str], Callable[[Any, str], Grant]]] = [
    (re.compile(r"^/api/v1/sessions/(\d{1,18})/stream/?$"), _session_topic),
    (re.compile(r"^/api/v1/events/([-a-zA-Z0-9_]{1,50})/moderation/stream/?$"), _moderation_topic),
    (re.compile(r"^/api/v1/me/stream/?()$"), _own_topic),
]


def match_stream(path: str) -> tuple[Callable[[Any, str], Grant], str] | None:
    for pattern, opener in STREAM_ROUTES:
        match = pattern.match(path)
        if match:
            return opener, match.group(1)
    return None


def _open(
    opener: Callable[[Any, str], Grant],
    key: str,
    cookie: str | None,
    authorization: str | None,
    position: int | None,
) -> Opened:
    """The topic this reader may stream, where it starts, and the topic's current position
    (one trip to the worker thread). Raises ActionError (404 hides private sessions).

    The current position is read *before* the caller subscribes: whatever commits from then on
    is either in the replay or in the subscriber's queue, so nothing falls in between. A fresh
    stream starts there."""
    user, credential = _reader_for(cookie, authorization)
    if user is None:
        raise ActionError("That token is not valid.", code="unauthorized")
    grant = opener(user, key)
    current = queries.current_position(grant.topic)
    user_id = user.pk if user.is_authenticated else None
    start = current if position is None else position
    return Opened(
        grant.topic, start, current, user_id, grant.event_id, credential, grant.public_only
    )


def _parse_position(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    position = whole_number(value)
    if position is None:
        raise ValueError(value)
    return position


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


async def stream_app(
    scope: Scope,
    receive: Any,
    send: Any,
    opener: Callable[[Any, str], Grant],
    key: str,
) -> None:
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
        opened = await read_db(
            _open,
            opener,
            key,
            _header(scope, b"cookie"),
            _header(scope, b"authorization"),
            position,
        )
    except ActionError as exc:
        status = 401 if exc.code == "unauthorized" else exc.status
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

    topic, start = opened.topic, opened.start
    subscriber = hub.subscribe(
        topic, settings.BACKCHANNEL_CLIENT_BUFFER, opened.current, start=start, send=send
    )
    subscriber.user_id, subscriber.event_id = opened.user_id, opened.event_id
    subscriber.credential, subscriber.public_only = opened.credential, opened.public_only
    # Make sure other processes' events reach this one before reading the replay, so nothing
    # published meanwhile falls between the replay and the live messages.
    await get_broker().watch(topic)

    async def watch_disconnect() -> None:
        # Needed: after a disconnect, uvicorn's send() returns quietly instead of raising.
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                subscriber.close()
                return

    watcher = asyncio.create_task(watch_disconnect())
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-store, no-transform"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-accel-buffering", b"no"),
                ],
            }
        )
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        await _pump(send, subscriber, topic, start, fresh=position is None)
        # The server ends this stream (the reader was suspended, or fell too far behind): end
        # the response properly, so the server does not log an unfinished one as an error.
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the client went away mid-write
    finally:
        hub.unsubscribe(subscriber)
        watcher.cancel()


async def _pump(send: Any, subscriber: Subscriber, topic: str, start: int, fresh: bool) -> None:
    """Replay what the client missed from the database, then write live messages until the
    client leaves or falls too far behind.

    Each live event is written once: the hub passes every id to a subscriber at most once, the
    client had everything up to `start`, and ids the replay wrote are skipped when they also
    arrive live. Those are remembered only until the hub's position passes them (after which
    the hub never passes them again), so a resumed stream does not keep them for hours."""

    async def write(chunk: bytes) -> None:
        subscriber.wrote = True
        await send({"type": "http.response.body", "body": chunk, "more_body": True})

    # The first block is a real event, `ready`, with the position as its id: a client keeps a
    # last event id only from an event that has data (browsers keep an `id:` line alone; strict
    # clients do not), so every client can resume from here if it is cut off at once.
    ready = json.dumps({"position": start, "resumed": not fresh})
    await write(f"retry: 2000\nid: {start}\nevent: ready\ndata: {ready}\n\n".encode())
    replayed: set[int] = set()
    after = start
    while True:
        missed = await read_db(queries.events_after, topic, after, REPLAY_BATCH)
        if missed:
            await write(b"".join(m.encoded for m in missed))
            replayed.update(m.id for m in missed)
            after = missed[-1].id
        if len(missed) < REPLAY_BATCH:
            break

    while True:
        subscriber.direct = False
        if subscriber.blocked is not None:  # a direct write met back-pressure: finish it here
            pending, waiting_on = subscriber.blocked
            subscriber.blocked = None
            await _finish(pending, waiting_on)
            continue
        if subscriber.queue:
            batch = subscriber.take()
            if replayed:
                chunks = [m.encoded for m in batch if m.id > start and m.id not in replayed]
                # Everything the hub passed at or below its position is in this batch.
                through = hub.positions.get(topic, 0)
                replayed = {i for i in replayed if i > through}
            else:
                chunks = [m.encoded for m in batch if m.id > start]
            if chunks:
                await write(b"".join(chunks))
            continue
        if subscriber.overflowed:
            return  # gone, or too far behind: the client resumes from its last id
        if subscriber.heartbeat_due:  # set by the hub's once-a-second tick (hub.heartbeats)
            subscriber.heartbeat_due = False
            await write(b": heartbeat\n\n")
            continue
        # Caught up and idle: the fan-out may write to this stream directly until it wakes us.
        subscriber.direct = not replayed
        await subscriber.wait()


async def _finish(send: Coroutine[Any, Any, None], waiting_on: Any) -> None:
    """Run the rest of a send that a direct write started, as a task would have: wait for what
    it waits on, then resume it, until it returns."""
    try:
        while True:
            if waiting_on is None:  # a bare yield: just let the loop run once
                await asyncio.sleep(0)
            else:
                await waiting_on
            waiting_on = send.send(None)
    except StopIteration:
        return
    finally:
        send.close()
