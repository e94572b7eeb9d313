"""Every moderation write: reports, the queue, decisions on posts and people, appeals, word
filters and session settings. Each checks its permission, writes in one transaction with its
audit-log row, tells the person concerned privately, and records the stream events (the
session's feed for what readers see, `mod:<event>` for facilitators, `user:<id>` for the
person)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from backchannel import ratelimits
from backchannel.accounts.models import User
from backchannel.errors import Conflict, Invalid, NotAllowed
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event, Session
from backchannel.feed.models import Post
from backchannel.feed.presenters import post_data
from backchannel.feed.screening import Screening
from backchannel.feed.signals import post_shown, post_withdrawn
from backchannel.notifications.actions import mark_read as mark_notifications_read
from backchannel.notifications.actions import notify, notify_post_published
from backchannel.notifications.models import Kind as NotificationKind
from backchannel.realtime.outbox import record_event, redact_post, revoke_streams
from backchannel.text import clean_text

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

Kind = ModerationAction.Kind
MAX_SANCTION_MINUTES = 60 * 24 * 30


def mod_topic(event_id: int) -> str:
    return f"mod:{event_id}"


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


def _reason(value: Any, *, required: bool = True) -> str:
    if value in (None, "") and not required:
        return ""
    if value not in Reason.values:
        choices = ", ".join(Reason.values)
        raise Invalid(f"Choose a reason: one of {choices}.", field="reason")
    return str(value)


def _note(value: Any, *, field: str = "note", max_length: int = 1000) -> str:
    if value in (None, ""):
        return ""
    return clean_text(value, field=field, max_length=max_length, required=False)


# --- The queue ---------------------------------------------------------------------------


def _publish_item(item: QueueItem) -> None:
    html = render_to_string("moderation/_queue_item.html", {"item": item, "event": item.event})
    record_event(
        mod_topic(item.event_id),
        "queue.item",
        {"post_id": item.post_id, "urgent": item.urgent, "html": html},
    )


def _signal(post: Post, signals: list[tuple[str, str]], *, reports: int = 0) -> QueueItem:
    """Add signals to the post's queue item (opening or reopening it) and tell facilitators."""
    item, _ = QueueItem.objects.select_for_update().get_or_create(
        post=post,
        defaults={"event_id": post.session.event_id, "opened_at": timezone.now()},
    )
    if item.closed_at is not None:
        item.closed_at, item.closed_by, item.outcome = None, None, ""
        item.opened_at = timezone.now()
    for signal, detail in signals:
        if signal not in item.signals:
            item.signals = [*item.signals, signal]
        entry = f"{signal}: {detail}" if detail else signal
        if entry not in item.details:
            item.details = [*item.details, entry]
    item.report_count += reports
    item.urgent = item.urgent or any(s == QueueItem.Signal.CRISIS for s, _ in signals)
    item.save()
    item.post = post
    _publish_item(item)
    return item


def close_queue_item(post: Post, actor: User, outcome: str) -> None:
    closed = QueueItem.objects.filter(post=post, closed_at=None).update(
        closed_at=timezone.now(), closed_by=actor, outcome=outcome
    )
    if closed:
        record_event(
            mod_topic(post.session.event_id),
            "queue.closed",
            {"post_id": post.pk, "outcome": outcome, "by": actor.username},
        )


def enqueue_new_post(post: Post, screening: Screening) -> None:
    """Called by the feed inside the post's transaction: put it in front of facilitators when
    the screening found anything, and tell a held post's author what happens next."""
    if not screening.signals:
        return
    _signal(post, screening.signals)
    if screening.held:
        _notify(
            post.author,
            post.session.event,
            Notice.Kind.HELD,
            f"Your post in “{post.session.title}” is waiting for a facilitator. It appears "
            "in the feed once approved, and you will hear back here either way.",
            post=post,
        )


def _notify(
    user: Any,
    event: Event,
    kind: str,
    message: str,
    *,
    action: ModerationAction | None = None,
    post: Post | None = None,
) -> Notice:
    notice = Notice.objects.create(
        user=user, event=event, kind=kind, message=message, action=action, post=post
    )
    record_event(
        user_topic(user.pk),
        "notice.created",
        {"id": notice.pk, "kind": kind, "message": message, "event": event.slug},
    )
    # Also in the notification centre, linking to the notices page (where appeals are made).
    notify(user, NotificationKind.MODERATION, text=message, url=reverse("notices"), notice=notice)
    return notice


def _log(actor: User, event: Event, kind: str, **fields: Any) -> ModerationAction:
    return ModerationAction.objects.create(actor=actor, event=event, kind=kind, **fields)


# --- Reports -----------------------------------------------------------------------------


def report_post(actor: User, post: Post, *, reason: Any, note: Any = "") -> tuple[Report, bool]:
    """Report a post to the event's facilitators. Once per person and post: a second report
    returns the first (created False)."""
    ratelimits.enforce("report", user=actor)
    if not permissions.can_report(actor, post):
        raise NotAllowed("You cannot report this post.")
    if not post.is_published:
        raise Invalid("This post is no longer shown.", code="not_published")
    reason = _reason(reason)
    note = _note(note, max_length=500)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post=post, event_id=post.session.event_id, reporter=actor, reason=reason, note=note
            )
            _signal(post, [(QueueItem.Signal.REPORT, reason)], reports=1)
    except IntegrityError:
        return Report.objects.get(post=post, reporter=actor), False
    return report, True


# --- Decisions on posts ------------------------------------------------------------------


def _require_moderator(actor: User, post: Post) -> None:
    if not permissions.can_act_on_post(actor, post):
        raise NotAllowed("Only the event's facilitators can do that.")


def _session_label(post: Post) -> str:
    return f"“{post.session.title}”"


def approve_post(actor: User, post: Post, *, note: Any = "") -> ModerationAction:
    """Publish a held post: it reaches the feed now."""
    _require_moderator(actor, post)
    if post.status != Post.Status.HELD or post.is_deleted:
        raise Conflict("Only a post waiting for approval can be approved.", code="not_held")
    note = _note(note)
    with transaction.atomic():
        action = _publish(
            actor,
            post,
            note=note,
            kind=Kind.APPROVE,
            outcome="approved",
            summary="approved a held post",
            notice=Notice.Kind.APPROVED,
            message=f"Your post in {_session_label(post)} was approved and is now in the feed.",
        )
        # Its first time in front of readers: the people it mentions or answers hear of it now.
        notify_post_published(post)
    return action


def _take_down(post: Post, status: str) -> None:
    post.status = status
    fields = ["status"]
    if status == Post.Status.REMOVED:
        # Removal is for what must not stay anywhere (a child's name, an address): the text
        # goes, as with deletion.
        post.body, post.body_html = "", ""
        fields += ["body", "body_html"]
        post.hashtags.clear()
        post.mentions.clear()
    post.save(update_fields=fields)
    topic = post.session.topic
    redact_post(topic, post.pk, post.thread_root_id)
    record_event(topic, "post.hidden", {"post_id": post.pk, "thread_root": post.thread_root_id})
    post_withdrawn.send(sender=Post, post=post)


def hide_post(actor: User, post: Post, *, reason: Any, note: Any = "") -> ModerationAction:
    """Take a post out of the feed (reversible: restore). Live readers see it go; replays
    never send it again."""
    _require_moderator(actor, post)
    if post.is_deleted or post.status in (Post.Status.HIDDEN, Post.Status.REMOVED):
        raise Conflict("This post is already not shown.", code="not_shown")
    reason, note = _reason(reason), _note(note)
    with transaction.atomic():
        return _withdraw(
            actor,
            post,
            status=Post.Status.HIDDEN,
            kind=Kind.HIDE,
            reason=reason,
            note=note,
            summary="hid a post",
            notice=Notice.Kind.HIDDEN,
            message=f"A facilitator hid your post in {_session_label(post)} "
            f"({Reason(reason).label.lower()}). Only you and the facilitators can see it now. "
            "If you think this was a mistake, you can ask them to look again.",
        )


def _withdraw(
    actor: User,
    post: Post,
    *,
    status: str,
    kind: str,
    reason: str,
    note: str,
    summary: str,
    notice: str,
    message: str,
) -> ModerationAction:
    """Take a post out of the feed (hidden or removed): live readers see it go, its queue item
    closes, the audit log and its author are told. Inside the caller's transaction."""
    _take_down(post, status)
    close_queue_item(post, actor, "hidden" if status == Post.Status.HIDDEN else "removed")
    action = _log(
        actor,
        post.session.event,
        kind,
        post=post,
        session=post.session,
        target=post.author,
        reason=reason,
        note=note,
        summary=summary,
    )
    _notify(post.author, post.session.event, notice, message, action=action, post=post)
    return action


def restore_post(actor: User, post: Post, *, note: Any = "") -> ModerationAction:
    _require_moderator(actor, post)
    if post.status != Post.Status.HIDDEN or post.is_deleted:
        raise Conflict("Only a hidden post can be restored.", code="not_hidden")
    note = _note(note)
    with transaction.atomic():
        action = _restore(actor, post, note=note)
    return action


def _restore(actor: User, post: Post, *, note: str) -> ModerationAction:
    return _publish(
        actor,
        post,
        note=note,
        kind=Kind.RESTORE,
        outcome="restored",
        summary="restored a post",
        notice=Notice.Kind.RESTORED,
        message=f"Your post in {_session_label(post)} is visible again.",
    )


def _publish(
    actor: User,
    post: Post,
    *,
    note: str,
    kind: str,
    outcome: str,
    summary: str,
    notice: str,
    message: str,
) -> ModerationAction:
    """Put a held or hidden post in the feed: live readers get it, its queue item closes, the
    audit log and its author are told. Inside the caller's transaction."""
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status"])
    record_event(post.session.topic, "post.created", {"post": post_data(post)})
    post_shown.send(sender=Post, post=post)
    close_queue_item(post, actor, outcome)
    action = _log(
        actor,
        post.session.event,
        kind,
        post=post,
        session=post.session,
        target=post.author,
        note=note,
        summary=summary,
    )
    _notify(post.author, post.session.event, notice, message, action=action, post=post)
    return action


def remove_post(actor: User, post: Post, *, reason: Any, note: Any = "") -> ModerationAction:
    """Take a post down for good: its text is erased (for details that must not stay)."""
    _require_moderator(actor, post)
    if post.is_deleted or post.status == Post.Status.REMOVED:
        raise Conflict("This post is already removed.", code="not_shown")
    reason, note = _reason(reason), _note(note)
    with transaction.atomic():
        return _withdraw(
            actor,
            post,
            status=Post.Status.REMOVED,
            kind=Kind.REMOVE,
            reason=reason,
            note=note,
            summary="removed a post",
            notice=Notice.Kind.REMOVED,
            message=f"A facilitator removed your post in {_session_label(post)} "
            f"({Reason(reason).label.lower()}). Its text is gone from the feed and the archive.",
        )


def dismiss(actor: User, post: Post, *, note: Any = "") -> ModerationAction:
    """Nothing to do: close the post's queue item and leave the post as it is."""
    _require_moderator(actor, post)
    if post.status == Post.Status.HELD:
        raise Conflict("A held post needs a decision: approve or hide it.", code="held")
    note = _note(note)
    with transaction.atomic():
        close_queue_item(post, actor, "dismissed")
        return _log(
            actor,
            post.session.event,
            Kind.DISMISS,
            post=post,
            session=post.session,
            target=post.author,
            note=note,
            summary="looked and left the post as it is",
        )


# --- Decisions on people -----------------------------------------------------------------

_SANCTION_NOTICE = {
    Sanction.Kind.MUTE: (
        Notice.Kind.MUTED,
        "You are muted in {event}{until}: you can read and react, but not post.",
    ),
    Sanction.Kind.SUSPEND: (
        Notice.Kind.SUSPENDED,
        "You are suspended from {event}{until}: you cannot post or follow its feeds live.",
    ),
    Sanction.Kind.BAN: (
        Notice.Kind.BANNED,
        "You are banned from {event}: you cannot post, follow its feeds live or join it again.",
    ),
}


def _until_words(ends_at: dt.datetime | None, event: Event) -> str:
    if ends_at is None:
        return ""
    return " until " + timezone.localtime(ends_at, event.tz).strftime("%-d %b, %H:%M")


def warn(
    actor: User, event: Event, target: User, *, reason: Any, message: Any, post: Post | None = None
) -> ModerationAction:
    """A private word to someone, with the facilitators' message. No restriction."""
    if not permissions.can_sanction(actor, event, target):
        raise NotAllowed("You cannot warn this person.")
    reason = _reason(reason)
    text = clean_text(message, field="message", max_length=1000, required=True)
    with transaction.atomic():
        action = _log(
            actor,
            event,
            Kind.WARN,
            target=target,
            post=post,
            reason=reason,
            note=text,
            summary="sent a warning",
        )
        _notify(
            target,
            event,
            Notice.Kind.WARNED,
            f"From the facilitators of {event.name}: {text}",
            action=action,
            post=post,
        )
    return action


def sanction(
    actor: User,
    event: Event,
    target: User,
    *,
    kind: Any,
    reason: Any,
    minutes: Any = None,
    note: Any = "",
) -> Sanction:
    """Mute (needs a duration), suspend (for a time or until lifted) or ban someone at the
    event. Suspending or banning closes their open streams of the event at once."""
    if kind not in Sanction.Kind.values:
        raise Invalid("Choose mute, suspend or ban.", field="kind")
    if not permissions.can_sanction(actor, event, target):
        raise NotAllowed("You cannot restrict this person.")
    reason, note = _reason(reason), _note(note)
    ends_at = None
    if kind == Sanction.Kind.BAN:
        minutes = None
    elif minutes in (None, "") and kind == Sanction.Kind.MUTE:
        raise Invalid("Say for how many minutes to mute.", field="minutes")
    if minutes not in (None, ""):
        if isinstance(minutes, bool) or not str(minutes).isdigit():
            raise Invalid("Minutes must be a whole number.", field="minutes")
        minutes = int(minutes)
        if not 1 <= minutes <= MAX_SANCTION_MINUTES:
            raise Invalid(f"Between 1 and {MAX_SANCTION_MINUTES} minutes.", field="minutes")
        ends_at = timezone.now() + dt.timedelta(minutes=minutes)
    with transaction.atomic():
        row = Sanction.objects.create(
            event=event, user=target, kind=kind, reason=reason, created_by=actor, ends_at=ends_at
        )
        length = f" for {minutes} minutes" if ends_at else ""
        action = _log(
            actor,
            event,
            kind,
            target=target,
            sanction=row,
            reason=reason,
            note=note,
            summary=f"{Sanction.Kind(kind).label.lower()}{length}",
        )
        notice_kind, template = _SANCTION_NOTICE[Sanction.Kind(kind)]
        _notify(
            target,
            event,
            notice_kind,
            template.format(event=event.name, until=_until_words(ends_at, event))
            + f" Reason: {Reason(reason).label.lower()}. You can ask the facilitators to "
            "look again once.",
            action=action,
        )
        if kind in (Sanction.Kind.SUSPEND, Sanction.Kind.BAN):
            revoke_streams(target.pk, event.pk)
    event_permissions.forget_roles(target)
    return row


def lift(actor: User, row: Sanction, *, note: Any = "") -> ModerationAction:
    if not permissions.can_moderate(actor, row.event):
        raise NotAllowed("Only the event's facilitators can do that.")
    if row.lifted_at is not None:
        raise Conflict("This restriction is already lifted.", code="lifted")
    note = _note(note)
    with transaction.atomic():
        action = _lift(actor, row, note=note)
    return action


def _lift(actor: User, row: Sanction, *, note: str) -> ModerationAction:
    row.lifted_at = timezone.now()
    row.save(update_fields=["lifted_at"])
    action = _log(
        actor,
        row.event,
        Kind.LIFT,
        target=row.user,
        sanction=row,
        note=note,
        summary=f"lifted: {Sanction.Kind(row.kind).label.lower()}",
    )
    _notify(
        row.user,
        row.event,
        Notice.Kind.LIFTED,
        f"Your restriction at {row.event.name} is lifted. Welcome back.",
        action=action,
    )
    event_permissions.forget_roles(row.user)
    return action


# --- Appeals -----------------------------------------------------------------------------


def appeal(actor: User, action: ModerationAction, *, text: Any) -> Appeal:
    if not permissions.can_appeal(actor, action):
        raise NotAllowed("This decision cannot be appealed (again).", code="no_appeal")
    text = clean_text(text, field="text", max_length=1000, required=True)
    try:
        with transaction.atomic():
            row = Appeal.objects.create(action=action, event=action.event, user=actor, text=text)
            record_event(
                mod_topic(action.event_id),
                "appeal.created",
                {"appeal_id": row.pk, "action": action.kind},
            )
    except IntegrityError:
        raise Conflict("You have already appealed this decision.", code="appealed") from None
    return row


def decide_appeal(actor: User, row: Appeal, *, grant: bool, response: Any = "") -> Appeal:
    """Grant (the decision is reversed where it can be) or uphold; the person is told."""
    if not permissions.can_decide_appeal(actor, row):
        raise NotAllowed("Only the event's facilitators can decide appeals.")
    if row.outcome != Appeal.Outcome.PENDING:
        raise Conflict("This appeal is already decided.", code="decided")
    response = _note(response, field="response")
    decision = row.action
    with transaction.atomic():
        if grant:
            post = decision.post
            if decision.kind == Kind.HIDE and post and post.status == Post.Status.HIDDEN:
                _restore(actor, post, note="appeal granted")
            if decision.sanction and decision.sanction.lifted_at is None:
                _lift(actor, decision.sanction, note="appeal granted")
        row.outcome = Appeal.Outcome.GRANTED if grant else Appeal.Outcome.DENIED
        row.decided_by, row.decided_at, row.response = actor, timezone.now(), response
        row.save(update_fields=["outcome", "decided_by", "decided_at", "response"])
        logged = _log(
            actor,
            row.event,
            Kind.APPEAL_GRANTED if grant else Kind.APPEAL_DENIED,
            target=row.user,
            post=decision.post,
            note=response,
            summary=f"appeal of “{decision.get_kind_display().lower()}”",
        )
        message = (
            "Your appeal was granted; the decision is reversed where it could be."
            if grant
            else "Your appeal was reviewed and the decision stands."
        )
        if response:
            message += f" The facilitators say: {response}"
        _notify(
            row.user,
            row.event,
            Notice.Kind.APPEAL_GRANTED if grant else Notice.Kind.APPEAL_DENIED,
            message,
            action=logged,
        )
        record_event(mod_topic(row.event_id), "appeal.decided", {"appeal_id": row.pk})
    return row


# --- Settings ----------------------------------------------------------------------------

MAX_SLOW_MODE_SECONDS = 3600


def set_session_moderation(
    actor: User,
    session: Session,
    *,
    premoderated: Any,
    slow_mode_seconds: Any,
    questions_premoderated: Any = None,
) -> Session:
    if not permissions.can_change_session_moderation(actor, session):
        raise NotAllowed("Only the event's facilitators can do that.")
    if not isinstance(premoderated, bool):
        raise Invalid("premoderated is true or false.", field="premoderated")
    if (
        isinstance(slow_mode_seconds, bool)
        or not isinstance(slow_mode_seconds, int)
        or not (0 <= slow_mode_seconds <= MAX_SLOW_MODE_SECONDS)
    ):
        raise Invalid(
            f"Slow mode is 0 (off) to {MAX_SLOW_MODE_SECONDS} seconds.", field="slow_mode_seconds"
        )
    if questions_premoderated is not None and not isinstance(questions_premoderated, bool):
        raise Invalid("questions_premoderated is true or false.", field="questions_premoderated")
    with transaction.atomic():
        session.premoderated = premoderated
        session.slow_mode_seconds = slow_mode_seconds
        if questions_premoderated is not None:
            session.questions_premoderated = questions_premoderated
        session.save(update_fields=["premoderated", "slow_mode_seconds", "questions_premoderated"])
        parts = [
            "pre-moderation " + ("on" if premoderated else "off"),
            "questions approved first" if session.questions_premoderated else "questions open",
            f"slow mode {slow_mode_seconds} s" if slow_mode_seconds else "slow mode off",
        ]
        _log(actor, session.event, Kind.SESSION_SETTINGS, session=session, summary=", ".join(parts))
        record_event(
            session.topic,
            "session.moderation",
            {"premoderated": premoderated, "slow_mode_seconds": slow_mode_seconds},
        )
    return session


def add_word_filter(actor: User, event: Event, *, term: Any, action: Any) -> WordFilter:
    if not permissions.can_manage_word_filters(actor, event):
        raise NotAllowed("Only the event's facilitators can do that.")
    term = clean_text(term, field="term", max_length=100, required=True).strip()
    if action not in WordFilter.Action.values:
        raise Invalid("Choose block, hold or flag.", field="action")
    try:
        with transaction.atomic():
            row = WordFilter.objects.create(event=event, term=term, action=action, created_by=actor)
            _log(actor, event, Kind.FILTER_ADDED, summary=f"“{term}”: {action}")
    except IntegrityError:
        raise Conflict("That term is already filtered.", code="duplicate", field="term") from None
    return row


def remove_word_filter(actor: User, row: WordFilter) -> None:
    if not permissions.can_manage_word_filters(actor, row.event):
        raise NotAllowed("Only the event's facilitators can do that.")
    with transaction.atomic():
        _log(actor, row.event, Kind.FILTER_REMOVED, summary=f"“{row.term}”")
        row.delete()


def mark_notices_read(user: User) -> int:
    mark_notifications_read(user, kind=NotificationKind.MODERATION)
    return Notice.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
