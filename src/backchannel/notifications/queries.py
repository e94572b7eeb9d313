"""Reads of notifications: the list, unread counts, a person's choices."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Q

from backchannel.accounts.models import Block, Mute, Reader, User
from backchannel.db import plain
from backchannel.feed.models import Post

from .models import DEFAULTS, Notification, Preference

# A notification about a post is shown only while the post is.
SHOWN = Q(post=None) | Q(post__status="published", post__deleted_at=None)


def preferences(user: User) -> dict[str, tuple[bool, bool]]:
    chosen = {
        p.kind: (p.in_app, p.email)
        for p in Preference.objects.filter(user=user).only("kind", "in_app", "email")
    }
    return {kind: chosen.get(kind, default) for kind, default in DEFAULTS.items()}


def preference(user: User, kind: str) -> tuple[bool, bool]:
    row = Preference.objects.filter(user=user, kind=kind).values_list("in_app", "email").first()
    return row if row is not None else DEFAULTS[kind]


@dataclass(frozen=True)
class Recipient:
    """What telling someone needs to know, read in one statement: whether they block or mute
    the actor, their choice for the kind, and how many notifications they have unread."""

    silenced: bool
    in_app: bool
    email: bool
    unread: int


@cache
def _recipient_sql() -> str:
    q, t = plain.quote, plain.table
    return (
        f"SELECT EXISTS(SELECT 1 FROM {t(Block)} WHERE {q('blocker_id')} = %s "  # noqa: S608
        f"AND {q('blocked_id')} = %s), "
        f"EXISTS(SELECT 1 FROM {t(Mute)} WHERE {q('muter_id')} = %s AND {q('muted_id')} = %s), "
        f"(SELECT {q('in_app')} FROM {t(Preference)} WHERE {q('user_id')} = %s "
        f"AND {q('kind')} = %s ORDER BY {q('id')} LIMIT 1), "
        f"(SELECT {q('email')} FROM {t(Preference)} WHERE {q('user_id')} = %s "
        f"AND {q('kind')} = %s ORDER BY {q('id')} LIMIT 1), "
        # unread_count() below, as one subquery.
        f"(SELECT COUNT(*) FROM {t(Notification)} n LEFT JOIN {t(Post)} p "
        f"ON p.{q('id')} = n.{q('post_id')} WHERE n.{q('user_id')} = %s AND n.{q('in_app')} "
        f"AND n.{q('read_at')} IS NULL AND (n.{q('post_id')} IS NULL "
        f"OR (p.{q('status')} = %s AND p.{q('deleted_at')} IS NULL)))"
    )


def recipient(user: User, actor: User | None, kind: str) -> Recipient:
    me, them = user.pk, actor.pk if actor is not None else None
    params = [me, them, me, them, me, kind, me, kind, me, Post.Status.PUBLISHED]
    row = plain.fetch_one(_recipient_sql(), params)
    assert row is not None  # a SELECT without FROM always answers one row
    blocked, muted, in_app, email, unread = row
    default_in_app, default_email = DEFAULTS[kind]
    return Recipient(
        silenced=bool(blocked) or bool(muted),
        in_app=default_in_app if in_app is None else bool(in_app),
        email=default_email if email is None else bool(email),
        unread=unread,
    )


def notifications_for(
    user: User, *, before: int | None = None, limit: int = 50, unread_only: bool = False
) -> list[Notification]:
    rows = Notification.objects.filter(SHOWN, user=user, in_app=True).select_related("actor")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    if unread_only:
        rows = rows.filter(read_at=None)
    return list(rows.order_by("-id")[:limit])


def unread_count(user: Reader) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(SHOWN, user=user, in_app=True, read_at=None).count()


def notification_data(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "text": n.text,
        "url": n.url,
        "actor": n.actor.username if n.actor is not None else None,
        "created_at": n.created_at.isoformat(),
        "read": n.read_at is not None,
    }
