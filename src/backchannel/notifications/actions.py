"""Every write to notifications: telling someone, marking read, their choices."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backchannel.accounts.models import User
from backchannel.db import plain
from backchannel.errors import Invalid
from backchannel.events import permissions as event_permissions
from backchannel.feed.models import Post
from backchannel.realtime.outbox import record_event

from . import queries
from .models import ALWAYS_IN_APP, Kind, Notification, Preference


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


def notify(
    user: User,
    kind: str,
    *,
    text: str,
    url: str,
    actor: User | None = None,
    post: Post | None = None,
    notice: Any = None,
) -> Notification | None:
    """Tell `user` something, as they chose for this kind. Nothing comes from people they
    block or mute, and nobody is told about their own doing. Call inside the write's
    transaction: the notification and its stream event commit with it."""
    if actor is not None and actor.pk == user.pk:
        return None
    # Silenced, their choice and their unread count in one statement: this runs for every
    # reply and mention, inside the post's transaction.
    recipient = queries.recipient(user, actor, kind)
    if recipient.silenced:
        return None
    in_app, email = recipient.in_app, recipient.email
    if kind in ALWAYS_IN_APP:
        in_app = True
    if not in_app and not email:
        return None
    notification = plain.create(
        Notification,
        user=user,
        kind=kind,
        actor=actor,
        post=post,
        notice=notice,
        text=text[:300],
        url=url[:300],
        in_app=in_app,
    )
    if in_app:
        shown = post is None or post.is_published  # as queries.SHOWN counts it
        record_event(
            user_topic(user.pk),
            "notification.created",
            {
                "id": notification.pk,
                "kind": kind,
                "text": notification.text,
                "url": notification.url,
                "actor": actor.username if actor is not None else None,
                "created_at": notification.created_at.isoformat(),
                "unread": recipient.unread + (1 if shown else 0),
            },
        )
    return notification


def notify_post_published(post: Post, mentioned: list[Any] | None = None) -> None:
    """A post went out (published at once, or approved): tell the author of the post it
    replies to, and the people it mentions (`mentioned`, or read from the post), where they
    can read it."""
    session = post.session
    author = post.author
    where = session.title if not session.is_lobby else f"{session.event.name} (lobby)"
    url = (
        reverse("session", args=[session.event.slug, session.pk])
        if not session.is_lobby
        else reverse("lobby", args=[session.event.slug])
    ) + f"#post-{post.pk}"
    # Who is told what: the author of the post it replies to (a reply, not also a mention),
    # then the people it mentions.
    told: dict[int, tuple[Any, str, str]] = {}
    if post.reply_to is not None:
        parent_author = post.reply_to.author
        if parent_author.is_active and event_permissions.can_view_event(
            parent_author, session.event
        ):
            told[parent_author.pk] = (
                parent_author,
                Kind.REPLY,
                f"{author.name} (@{author.username}) replied to your post in {where}.",
            )
    for person in post.mentions.all() if mentioned is None else mentioned:
        if person.pk in told or not person.is_active:
            continue
        # A join-code event's post is not news to someone who cannot open it.
        if not event_permissions.can_view_event(person, session.event):
            continue
        told[person.pk] = (
            person,
            Kind.MENTION,
            f"{author.name} (@{author.username}) mentioned you in {where}.",
        )
    # In the order of their ids: each notification takes its person's stream lock until commit
    # (realtime/outbox.py, on PostgreSQL), and two posts that told the same two people in
    # opposite orders deadlocked (bench/ingest.py, 1 post in 4,000 answered 503).
    for pk in sorted(told):
        person, kind, text = told[pk]
        notify(person, kind, text=text, url=url, actor=author, post=post)


def mark_read(user: User, *, up_to: int | None = None, kind: str | None = None) -> int:
    """Mark the person's notifications read (all, or up to an id, or of one kind); returns
    how many changed and tells their other tabs."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    if kind is not None:
        unread = unread.filter(kind=kind)
    with transaction.atomic():
        changed = unread.update(read_at=timezone.now())
        if changed:
            record_event(
                user_topic(user.pk),
                "notification.read",
                {"unread": queries.unread_count(user)},
            )
    return changed


def set_preferences(user: User, choices: dict[str, dict[str, Any]]) -> dict[str, tuple[bool, bool]]:
    """Save choices like {"mention": {"in_app": true, "email": false}}; kinds not given keep
    theirs."""
    for kind, choice in choices.items():
        if kind not in Kind.values:
            raise Invalid(f"Unknown notification kind: {kind[:30]}.", field="kind")
        if not isinstance(choice, dict) or not all(
            isinstance(choice.get(k), bool) for k in ("in_app", "email")
        ):
            raise Invalid(f"Give in_app and email as true or false for {kind}.", field=kind)
    with transaction.atomic():
        for kind, choice in choices.items():
            in_app = True if kind in ALWAYS_IN_APP else choice["in_app"]
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"in_app": in_app, "email": choice["email"]}
            )
    return queries.preferences(user)
