"""Reads of the stream log, used when a client resumes."""

from __future__ import annotations

from django.db.models import Max

from .messages import StreamMessage
from .models import StreamEvent


def events_after(topic: str, after_id: int, limit: int = 500) -> list[StreamMessage]:
    rows = (
        StreamEvent.objects.filter(topic=topic, id__gt=after_id)
        .order_by("id")
        .values_list("id", "type", "payload")[:limit]
    )
    return [StreamMessage(id=i, topic=topic, type=t, payload=p) for i, t, p in rows]


def current_position() -> int:
    """The newest event id overall: a client starting here has missed nothing yet."""
    return StreamEvent.objects.aggregate(m=Max("id"))["m"] or 0
