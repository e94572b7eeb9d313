"""The facilitators' controls of the wall. Each records `wall.updated` on the session's stream,
so the wall reacts at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from backchannel.accounts.models import User
from backchannel.errors import Invalid, NotAllowed
from backchannel.events.models import Session
from backchannel.feed.models import Post
from backchannel.realtime.outbox import record_event

from .permissions import can_run_wall
from .queries import MAX_DELAY_SECONDS, wall_state


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
