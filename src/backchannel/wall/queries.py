"""What the projector wall shows now."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import segno
from django.utils import timezone

from backchannel.events.models import Session
from backchannel.feed.models import Post
from backchannel.qa import polls
from backchannel.qa.models import Poll, Question

WALL_SIZE = 12
MAX_DELAY_SECONDS = 3600


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


def join_qr_svg(url: str) -> str:
    """The join link as an inline SVG QR code (segno), for the wall and the join card."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=6,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        omitsize=True,  # a viewBox instead of a fixed size: the page's CSS sizes it
        title="QR code: " + url,
    )
    return buffer.getvalue().decode()


@dataclass
class Snapshot:
    """Everything the wall draws, read once for the page and the API alike."""

    state: dict[str, Any]
    posts: list[Post]
    now_answering: Question | None
    poll: Poll | None
    poll_results: polls.Results | None


def snapshot(session: Session) -> Snapshot:
    poll = polls.open_poll(session)
    return Snapshot(
        state=wall_state(session),
        posts=wall_posts(session),
        now_answering=session.now_answering,
        poll=poll,
        poll_results=polls.results(poll) if poll else None,
    )
