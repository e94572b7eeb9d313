"""Reads for moderation: active sanctions, the queue, the log, notices, transparency counts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from backchannel.accounts.models import Reader, User
from backchannel.db import plain
from backchannel.db.rowcache import RowCache
from backchannel.errors import NotAllowed, NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event
from backchannel.events.queries import get_event_for
from backchannel.feed.models import Post

from . import permissions
from .models import (
    Appeal,
    ModerationAction,
    Notice,
    QueueItem,
    Reason,
    Report,
    Sanction,
    WordFilter,
)

# The strongest restriction wins when several are active.
_STRENGTH = {Sanction.Kind.BAN: 3, Sanction.Kind.SUSPEND: 2, Sanction.Kind.MUTE: 1}


def active_sanctions(user_id: int, event_id: int) -> QuerySet[Sanction]:
    now = timezone.now()
    return Sanction.objects.filter(event_id=event_id, user_id=user_id, lifted_at=None).filter(
        Q(ends_at=None) | Q(ends_at__gt=now)
    )


def active_sanction(user_id: int, event_id: int) -> Sanction | None:
    found = list(active_sanctions(user_id, event_id))
    return max(found, key=lambda s: (_STRENGTH[s.kind], s.pk)) if found else None  # type: ignore[index]


def open_queue(event: Event) -> list[QueueItem]:
    """Open items, crisis first, then oldest first (the longest waiting)."""
    return list(
        QueueItem.objects.filter(event=event, closed_at=None)
        .select_related("post__author", "post__session")
        .order_by("-urgent", "opened_at")[:200]
    )


def queue_item_for(post: Post) -> QueueItem | None:
    return (
        QueueItem.objects.filter(post=post).select_related("post__author", "post__session").first()
    )


def pending_appeals(event: Event) -> list[Appeal]:
    return list(
        Appeal.objects.filter(event=event, outcome=Appeal.Outcome.PENDING)
        .select_related("user", "action__post", "action__actor", "action__sanction")
        .order_by("created_at")
    )


def log(event: Event, *, before: int | None = None, limit: int = 50) -> list[ModerationAction]:
    qs = ModerationAction.objects.filter(event=event).select_related(
        "actor", "target", "post", "session"
    )
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-id")[:limit])


def current_sanctions(event: Event) -> list[Sanction]:
    now = timezone.now()
    return list(
        Sanction.objects.filter(event=event, lifted_at=None)
        .filter(Q(ends_at=None) | Q(ends_at__gt=now))
        .select_related("user", "created_by")
        .order_by("-created_at")
    )


# An event's word filters, read for every post and question, changed rarely: kept per process
# (db/rowcache.py clears them on any change to a filter, in every process).
_WORD_FILTER_ROWS = RowCache("word filters", [WordFilter])


def word_filter_terms(event_id: int) -> list[tuple[str, str]]:
    """(term, action) of the event's word filters, for every post: in plain SQL, because
    building the ORM query cost more than running it (bench/ingest.py)."""
    rows = _WORD_FILTER_ROWS.get(
        event_id, lambda: tuple(plain.fetch_all(_word_filter_sql(), [event_id]))
    )
    return [(term, action) for term, action in rows or ()]


@cache
def _word_filter_sql() -> str:
    q = plain.quote
    return (
        f"SELECT {q('term')}, {q('action')} FROM {plain.table(WordFilter)} "  # noqa: S608
        f"WHERE {q('event_id')} = %s ORDER BY {q('term')}"
    )


def word_filters(event: Event) -> list[WordFilter]:
    return list(WordFilter.objects.filter(event=event).order_by("term"))


def notices_for(user: User, *, limit: int = 50) -> list[Notice]:
    return list(
        Notice.objects.filter(user=user)
        .select_related("event", "post__session", "action__appeal")
        .order_by("-id")[:limit]
    )


def unread_notice_count(user: Reader) -> int:
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(user=user, read_at=None).count()


@dataclass
class TransparencyRow:
    reason: str
    label: str
    reports: int
    hidden: int
    removed: int


@dataclass
class Transparency:
    rows: list[TransparencyRow]
    totals: dict[str, int]
    # Posts held before publication: "premoderation", "filter", and "elsewhere" (from people
    # on other servers, held for what the caution check found or a limited server).
    held: dict[str, int]
    sanctions: dict[str, int]
    appeals: dict[str, int]


# Which decisions the public page counts, by the column they fall in.
_COUNTED = {
    ModerationAction.Kind.HIDE: "hidden",
    ModerationAction.Kind.REMOVE: "removed",
}


def transparency(event: Event) -> Transparency:
    """Counts only, never content or names: reports, hidden and removed posts by reason, holds,
    restrictions and appeals."""
    by_reason: dict[str, dict[str, int]] = {}
    for kind, reason, count in (
        ModerationAction.objects.filter(event=event, kind__in=list(_COUNTED))
        .values_list("kind", "reason")
        .annotate(n=Count("id"))
    ):
        column = by_reason.setdefault(reason or Reason.OTHER, {})
        column[_COUNTED[kind]] = column.get(_COUNTED[kind], 0) + count
    for reason, count in (
        Report.objects.filter(event=event).values_list("reason").annotate(n=Count("id"))
    ):
        by_reason.setdefault(reason, {})["reports"] = count
    rows = [
        TransparencyRow(
            reason=value,
            label=str(label),
            reports=by_reason.get(value, {}).get("reports", 0),
            hidden=by_reason.get(value, {}).get("hidden", 0),
            removed=by_reason.get(value, {}).get("removed", 0),
        )
        for value, label in Reason.choices
        if value in by_reason
    ]
    totals = {
        column: sum(getattr(r, column) for r in rows) for column in ("reports", "hidden", "removed")
    }
    held = {"premoderation": 0, "filter": 0, "elsewhere": 0}
    for signals, domain in QueueItem.objects.filter(event=event).values_list(
        "signals", "post__author__domain"
    ):
        if "held" in signals:
            if domain:  # from another server: held for a caution finding or a limited server
                held["elsewhere"] += 1
            else:
                held["filter" if "filter" in signals else "premoderation"] += 1
    sanctions = dict(
        Sanction.objects.filter(event=event).values_list("kind").annotate(n=Count("id"))
    )
    warnings = ModerationAction.objects.filter(event=event, kind=ModerationAction.Kind.WARN).count()
    if warnings:
        sanctions["warn"] = warnings
    appeals = dict(
        Appeal.objects.filter(event=event).values_list("outcome").annotate(n=Count("id"))
    )
    return Transparency(rows, totals, held, sanctions, appeals)


def moderated_event(user: Reader, slug: str) -> Event:
    """The event, for its facilitators: NotFound when the user cannot see it at all,
    NotAllowed when they can but do not moderate it."""
    event = get_event_for(user, slug)
    if not permissions.can_moderate(user, event):
        raise NotAllowed("Only the event's facilitators can see this.")
    return event


def _moderated(user: Reader, event: Event, what: str) -> None:
    if not event_permissions.can_view_event(user, event):
        raise NotFound(f"No such {what}.")
    if not permissions.can_moderate(user, event):
        raise NotAllowed("Only the event's facilitators can do that.")


def get_sanction_for(user: Reader, sanction_id: int) -> Sanction:
    row = Sanction.objects.select_related("event", "user").filter(pk=sanction_id).first()
    if row is None:
        raise NotFound("No such restriction.")
    _moderated(user, row.event, "restriction")
    return row


def get_word_filter_for(user: Reader, filter_id: int) -> WordFilter:
    row = WordFilter.objects.select_related("event").filter(pk=filter_id).first()
    if row is None:
        raise NotFound("No such word filter.")
    _moderated(user, row.event, "word filter")
    return row


def get_appeal_for(user: Reader, appeal_id: int) -> Appeal:
    row = (
        Appeal.objects.select_related("event", "user", "action__post__session", "action__sanction")
        .filter(pk=appeal_id)
        .first()
    )
    if row is None:
        raise NotFound("No such appeal.")
    _moderated(user, row.event, "appeal")
    return row


def get_decision_for(user: Reader, action_id: int) -> ModerationAction:
    """A logged decision, for the person it concerned (to appeal) or the facilitators."""
    row = ModerationAction.objects.select_related("event").filter(pk=action_id).first()
    if row is None or not user.is_authenticated:
        raise NotFound("No such decision.")
    if row.target_id != user.pk and not permissions.can_moderate(user, row.event):
        raise NotFound("No such decision.")
    return row


def get_person(handle: str) -> Any:

    person = User.objects.filter(username__iexact=handle).first()
    if person is None:
        raise NotFound(f"There is no @{handle}.", field="handle")
    return person
