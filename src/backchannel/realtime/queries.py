"""Reads of the stream log, used when a client resumes."""

from __future__ import annotations

from django.db.models import Max, Q, TextField
from django.db.models.functions import Cast

from .messages import StreamMessage
from .models import StreamEvent


def _payload_text() -> Cast:
    # The payload as the database holds it: replayed events are sent as stored, not decoded.
    return Cast("payload", output_field=TextField())


def events_after(topic: str, after_id: int, limit: int = 500) -> list[StreamMessage]:
    rows = (
        StreamEvent.objects.filter(topic=topic, id__gt=after_id)
        .order_by("id")
        .values_list("id", "type", _payload_text())[:limit]
    )
    return [StreamMessage(id=i, topic=topic, type=t, payload_json=p) for i, t, p in rows]


RELAY_BATCH = 1000


def events_after_positions(positions: dict[str, int]) -> list[StreamMessage]:
    """Events of several topics, each after its own position, oldest first, in one query
    (one `topic = … AND id > …` branch per topic, each served by the (topic, id) index)."""
    if not positions:
        return []
    after = Q()
    for topic, position in positions.items():
        after |= Q(topic=topic, id__gt=position)
    rows = (
        StreamEvent.objects.filter(after)
        .order_by("id")
        .values_list("id", "topic", "type", _payload_text())[:RELAY_BATCH]
    )
    return [StreamMessage(id=i, topic=topic, type=t, payload_json=p) for i, topic, t, p in rows]


def current_position(topic: str) -> int:
    """The newest committed event id of a topic: a client starting here has missed nothing.

    Per topic, not global: ids are in commit order only within a topic (see outbox), so a
    global maximum could pass an event of this topic that is still being committed."""
    return StreamEvent.objects.filter(topic=topic).aggregate(m=Max("id"))["m"] or 0
