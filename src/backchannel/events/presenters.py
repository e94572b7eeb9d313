"""Events and sessions as the API shows them."""

from __future__ import annotations

from typing import Any

from .models import Event, Session
from .queries import lobby_of, scheduled_sessions


def session_data(session: Session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "abstract": session.abstract,
        "kind": session.kind,
        "room": session.room.name if session.room else None,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "hashtag": session.hashtag,
        "presenters": [
            {"handle": p.username, "display_name": p.name} for p in session.presenters.all()
        ],
        "stream_url": f"/api/v1/sessions/{session.pk}/stream",
        "recording_url": session.recording_url,
        "archive_url": f"/e/{session.event.slug}/s/{session.pk}/archive/",
    }


def event_data(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "slug": event.slug,
        "name": event.name,
        "hashtag": event.hashtag,
        "description": event.description,
        "venue": event.venue,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "timezone": event.timezone,
        "access": event.access,
        "after_event": event.after_event,
        "read_only": event.is_read_only,
        "retention_days": event.retention_days,
        "event_code": event.event_code,
        "accent_colour": event.accent_colour,
        "logo_url": event.logo_url,
        "cover_url": event.cover_url,
        "lobby": session_data(lobby_of(event)),
        "rooms": [{"id": r.pk, "name": r.name, "capacity": r.capacity} for r in event.rooms.all()],
        "sessions": [session_data(s) for s in scheduled_sessions(event)],
    }
