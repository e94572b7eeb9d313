"""Reads of notifications: the list, unread counts, a person's choices."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from backchannel.accounts.models import Reader, User

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
