"""The projector wall: what a session's big screen shows, and the facilitators' controls.

Safe by default: the wall shows only posts that have been public for a while (the delay, 60 s
unless changed) or, in approval mode, only posts a facilitator approved; hidden and deleted
posts never; and a facilitator can pause it in one click. The server decides what is on the
wall (`wall_posts`); the wall page asks for it every few seconds and reacts at once to
`post.hidden`, `post.deleted` and `wall.updated` on the session's stream, so a post taken
down or a pause leaves the screen immediately.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import segno
from django.db import transaction
from django.utils import timezone

from backchannel.accounts.models import User
from backchannel.errors import Invalid, NotAllowed
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session
from backchannel.realtime.outbox import record_event

from .models import Post

WALL_SIZE = 12
MAX_DELAY_SECONDS = 3600


def can_run_wall(user: Any, session: Session) -> bool:
    """Pause, change what it shows, approve posts for it: the event's facilitators."""
    return event_permissions.can_moderate_event(user, session.event)


def wall_posts(session: Session, *, now: dt.datetime | None = None) -> list[Post]:
    """What the wall shows now (nothing while paused), newest first."""
    if session.wall_paused:
        return []
    qs = Post.objects.filter(session=session, status=Post.Status.PUBLISHED, deleted_at=None)
    if session.wall_mode == Session.WallMode.APPROVED:
        qs = qs.exclude(wall_approved_at=None)
    else:
        cutoff = (now or timezone.now()) - dt.timedelta(seconds=session.wall_delay_seconds)
        qs = qs.filter(created_at__lte=cutoff)
    return list(qs.select_related("author").order_by("-id")[:WALL_SIZE])


def wall_state(session: Session) -> dict[str, Any]:
    return {
        "paused": session.wall_paused,
        "mode": session.wall_mode,
        "delay_seconds": session.wall_delay_seconds,
    }


def configure(
    actor: User,
    session: Session,
    *,
    paused: Any = None,
    mode: Any = None,
    delay_seconds: Any = None,
) -> Session:
    """Pause or resume (the kill switch), choose delay or approval, set the delay."""
    if not can_run_wall(actor, session):
        raise NotAllowed("Only the event's facilitators control the wall.")
    if paused is not None and not isinstance(paused, bool):
        raise Invalid("paused is true or false.", field="paused")
    if mode is not None and mode not in Session.WallMode.values:
        raise Invalid("The mode is delay or approved.", field="mode")
    if delay_seconds is not None and (
        isinstance(delay_seconds, bool)
        or not isinstance(delay_seconds, int)
        or not 0 <= delay_seconds <= MAX_DELAY_SECONDS
    ):
        raise Invalid(f"The delay is 0 to {MAX_DELAY_SECONDS} seconds.", field="delay_seconds")
    with transaction.atomic():
        if paused is not None:
            session.wall_paused = paused
        if mode is not None:
            session.wall_mode = mode
        if delay_seconds is not None:
            session.wall_delay_seconds = delay_seconds
        session.save(update_fields=["wall_paused", "wall_mode", "wall_delay_seconds"])
        record_event(session.topic, "wall.updated", wall_state(session))
    return session


def approve(actor: User, post: Post, *, on: bool) -> Post:
    """Put a post on the wall of a session in approval mode (or take it off)."""
    if not can_run_wall(actor, post.session):
        raise NotAllowed("Only the event's facilitators choose what the wall shows.")
    if on and not post.is_published:
        raise Invalid("Only a published post can go on the wall.", code="not_published")
    with transaction.atomic():
        post.wall_approved_at = timezone.now() if on else None
        post.save(update_fields=["wall_approved_at"])
        record_event(post.session.topic, "wall.updated", wall_state(post.session))
    return post


def join_qr_svg(url: str) -> str:
    """The join link as an inline SVG QR code (segno), for the wall's corner."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=6,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        title="QR code: " + url,
    )
    return buffer.getvalue().decode()
