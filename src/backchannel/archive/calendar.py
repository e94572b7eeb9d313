"""The schedule as iCalendar (RFC 5545), written by hand: a handful of properties, escaped
and folded as the standard says."""

from __future__ import annotations

import datetime as dt

from backchannel.events.models import Event
from backchannel.events.queries import scheduled_sessions


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def schedule_ics(event: Event, host: str, base_url: str) -> str:
    now = _utc(dt.datetime.now(dt.UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Backchannel//Schedule//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(event.name)}",
        f"X-WR-TIMEZONE:{event.timezone}",
    ]
    for session in scheduled_sessions(event):
        if session.starts_at is None or session.ends_at is None:
            continue
        url = f"{base_url}/e/{event.slug}/s/{session.pk}/"
        description = session.abstract
        if session.presenters.exists():
            names = ", ".join(p.name for p in session.presenters.all())
            description = f"With {names}.\n\n{description}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(session.starts_at)}",
            f"DTEND:{_utc(session.ends_at)}",
            f"SUMMARY:{_escape(session.title)}",
            f"DESCRIPTION:{_escape(description + chr(10) + chr(10) + 'Backchannel: ' + url)}",
            f"URL:{url}",
        ]
        if session.room:
            lines.append(f"LOCATION:{_escape(session.room.name)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
