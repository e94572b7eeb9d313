"""Recording stream events in the writer's transaction and handing them over after commit."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import connection, transaction

from backchannel.db import plain

from .broker import get_broker
from .messages import StreamMessage
from .models import StreamEvent


def _serialise_topic(topic: str) -> None:
    """Make ids within a topic commit in order, which replay from an id relies on.

    SQLite already serialises every write transaction. PostgreSQL hands out sequence values
    before commit, so two writers could commit ids 11 then 10; a reader resuming after 11 would
    never see 10. A transaction-scoped advisory lock per topic orders the writers of one topic
    (writers of different topics still run in parallel). A writer that records on several
    people's topics takes them in the order of their ids (notifications/actions.py), so two
    such writers cannot wait for each other."""
    if plain.vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [topic])


def record_event(topic: str, type: str, payload: dict[str, Any]) -> StreamEvent:
    """Write the event row; publish it only once the surrounding transaction commits.

    If the transaction rolls back, the event never existed; if the process dies after commit
    but before publishing, subscribers still get it from the database on their next replay.
    """
    _serialise_topic(topic)
    # Plain SQL (db/plain.py): every write records one, and the ORM's building of the INSERT
    # cost more than the database's writing it.
    row = plain.create(StreamEvent, topic=topic, type=type, payload=payload)
    message = StreamMessage(id=row.id, topic=topic, type=type, payload=payload)
    transaction.on_commit(lambda: get_broker().publish(message))
    return row


def redact_post(topic: str, post_id: int, thread_root: int | None) -> int:
    """Rewrite the replay log so a post taken down is never sent again: its `post.created`
    events become `post.hidden` without content. A reader replaying from before them learns
    only that the post is gone. Returns how many were rewritten."""
    return StreamEvent.objects.filter(
        topic=topic, type="post.created", payload__post__id=post_id
    ).update(type="post.hidden", payload={"post_id": post_id, "thread_root": thread_root})


CONTROL_TOPIC = "control"


def revoke_streams(user_id: int, event_id: int | None) -> None:
    """Close the person's open streams of the event (None: every stream they hold), in every
    server process (after commit). Every process watches the control topic (realtime/control.py)."""
    record_event(CONTROL_TOPIC, "streams.revoke", {"user_id": user_id, "event_id": event_id})


def revoke_credential_streams(credential: str) -> None:
    """Close the streams opened with a credential that no longer holds: a revoked token
    (`token_credential`) or a session signed out (`session_credential`)."""
    record_event(CONTROL_TOPIC, "streams.revoke", {"credential": credential})


def revoke_public_streams(event_id: int) -> None:
    """The event is no longer public: close the streams that only its being public allowed
    (anonymous readers, people who never joined). Members' streams stay open."""
    record_event(CONTROL_TOPIC, "streams.revoke", {"event_id": event_id, "public_only": True})


def announce_row_changes(labels: list[str]) -> None:
    """Rows of these models changed: every server process clears the rows it keeps of them
    (db/rowcache.py). Recorded after the change committed, so it commits on its own."""
    record_event(CONTROL_TOPIC, "rows.changed", {"models": labels})


def token_credential(token_id: int) -> str:
    return f"token:{token_id}"


def session_credential(session_key: str) -> str:
    # A hash: the control topic is a table, and a session key is a password.
    return "session:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]
