"""Recording stream events in the writer's transaction and handing them over after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .broker import get_broker
from .messages import StreamMessage
from .models import StreamEvent


def record_event(topic: str, type: str, payload: dict[str, Any]) -> StreamEvent:
    """Write the event row; publish it only once the surrounding transaction commits.

    If the transaction rolls back, the event never existed; if the process dies after commit
    but before publishing, subscribers still get it from the database on their next replay.
    """
    row = StreamEvent.objects.create(topic=topic, type=type, payload=payload)
    message = StreamMessage(id=row.id, topic=topic, type=type, payload=payload)
    transaction.on_commit(lambda: get_broker().publish(message))
    return row
