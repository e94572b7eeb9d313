"""What moderation asks of a new post, in the order the author meets it: restrictions and slow
mode (before the caution check: no point asking a muted person to reconsider), then word
filters and pre-moderation (after it). The feed's create_post asks these through the
moderator registered in moderation/apps.py (feed/screening.py says why)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import regex
from django.utils import timezone
from django.utils.formats import date_format

from backchannel.accounts.models import User
from backchannel.care.findings import Finding, Kind
from backchannel.errors import Invalid, NotAllowed, RateLimited
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session
from backchannel.feed.models import Post
from backchannel.feed.screening import Screening

from . import permissions, queries
from .actions import close_queue_item, enqueue_new_post
from .models import QueueItem, WordFilter

Signal = QueueItem.Signal


def _until(when: Any, session: Session) -> str:
    local = timezone.localtime(when, session.event.tz)
    return date_format(local, "j M, H:i")


def check_author(actor: User, session: Session) -> None:
    """Refuse (calmly, saying until when) a restricted author; enforce slow mode."""
    event = session.event
    kind = event_permissions.restriction_at(actor, event)
    if kind is not None:
        sanction = queries.active_sanction(actor.pk, event.pk)
        until = (
            f" until {_until(sanction.ends_at, session)}" if sanction and sanction.ends_at else ""
        )
        if kind == "mute":
            raise NotAllowed(
                f"You are muted in this event{until}. You can still read and react.",
                code="muted",
            )
        raise NotAllowed(f"You cannot post in this event{until}.", code="suspended")
    if session.slow_mode_seconds and not permissions.is_exempt_from_screening(actor, session):
        last = (
            Post.objects.filter(session=session, author=actor)
            .order_by("-id")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None:
            waited = (timezone.now() - last).total_seconds()
            if waited < session.slow_mode_seconds:
                wait = math.ceil(session.slow_mode_seconds - waited)
                raise RateLimited(
                    f"Slow mode is on in this session: one post every "
                    f"{session.slow_mode_seconds} seconds. You can post again in {wait} s.",
                    retry_after=wait,
                    code="slow_mode",
                )


def _matches(term: str, text: str) -> bool:
    pattern = r"(?<![\w])" + regex.escape(term) + r"(?![\w])"
    return regex.search(pattern, text, flags=regex.IGNORECASE | regex.V1) is not None


def screen_text(
    actor: User,
    session: Session,
    text: str,
    findings: Sequence[Finding],
    *,
    held_for: str = "",
) -> Screening:
    """Word filters, pre-moderation, and what the caution check found that facilitators should
    see. Raises Invalid for a blocked term. A post from another server whose text the caution
    check would have asked its author about is held ("caution"): nobody could ask them."""
    screening = Screening()
    hold_reason = held_for
    for term, action in queries.word_filter_terms(session.event_id):
        if not _matches(term, text):
            continue
        if action == WordFilter.Action.BLOCK:
            raise Invalid(
                f"This event does not allow “{term}” in posts. Edit it out to post.",
                code="blocked_term",
                field="body",
            )
        screening.signals.append((Signal.FILTER, term))
        if action == WordFilter.Action.HOLD:
            hold_reason = "filter"
    if session.premoderated:
        hold_reason = hold_reason or "premoderation"
    if hold_reason and permissions.is_exempt_from_screening(actor, session):
        hold_reason = ""
    if actor.is_remote and any(f.asks_to_confirm for f in findings):
        hold_reason = hold_reason or "caution"
    if hold_reason:
        screening.status = Post.Status.HELD
        screening.signals.insert(0, (Signal.HELD, hold_reason))
    confirmed = sorted({str(f.kind) for f in findings if f.asks_to_confirm})
    if confirmed:
        screening.signals.append((Signal.CAUTION, ", ".join(confirmed)))
    crisis = next((f for f in findings if f.kind == Kind.CRISIS), None)
    if crisis is not None:
        # Who may be at risk (the author, someone they know, danger from another person).
        screening.signals.append((Signal.CRISIS, crisis.about or "self"))
    return screening


class PostModeration:
    """The feed's moderator (feed/screening.py): the checks above, and the queue."""

    def check_author(self, actor: User, session: Session) -> None:
        check_author(actor, session)

    def screen_text(
        self,
        actor: User,
        session: Session,
        text: str,
        findings: Sequence[Finding],
        *,
        held_for: str = "",
    ) -> Screening:
        return screen_text(actor, session, text, findings, held_for=held_for)

    def post_written(self, post: Post, screening: Screening) -> None:
        enqueue_new_post(post, screening)

    def post_deleted(self, post: Post, actor: User) -> None:
        close_queue_item(post, actor, "deleted")
