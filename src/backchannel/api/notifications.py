"""Notifications: mentions, replies, new followers and moderation decisions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from backchannel.notifications import actions, queries

from .auth import SIGNED_IN, actor
from .schemas import Error, Id, MarkReadIn, MarkReadOut, NotificationsOut, PreferenceOut

router = Router(tags=["notifications"])


@router.get("/notifications", auth=SIGNED_IN, response=NotificationsOut)
def notifications(
    request: HttpRequest, before: Id | None = None, unread: bool = False, limit: int = 50
) -> Any:
    """Newest first; page back with `before`; `unread=true` for unread ones only. Live:
    `notification.created` on `GET /api/v1/me/stream`."""
    user = actor(request)
    rows = queries.notifications_for(
        user, before=before, unread_only=unread, limit=max(1, min(limit, 100))
    )
    return {
        "unread": queries.unread_count(user),
        "notifications": [queries.notification_data(n) for n in rows],
    }


@router.post("/notifications/read", auth=SIGNED_IN, response=MarkReadOut)
def mark_read(request: HttpRequest, payload: MarkReadIn) -> Any:
    """Mark read: all, or up to and including `up_to`."""
    user = actor(request)
    marked = actions.mark_read(user, up_to=payload.up_to)
    return {"marked": marked, "unread": queries.unread_count(user)}


@router.get("/me/notification-settings", auth=SIGNED_IN, response=dict[str, PreferenceOut])
def settings(request: HttpRequest) -> Any:
    chosen = queries.preferences(actor(request))
    return {k: {"in_app": a, "email": e} for k, (a, e) in chosen.items()}


@router.put(
    "/me/notification-settings",
    auth=SIGNED_IN,
    response={200: dict[str, PreferenceOut], 400: Error},
)
def update_settings(
    request: HttpRequest,
    payload: dict[str, PreferenceOut] = Body(...),  # noqa: B008
) -> Any:
    """Per kind (`mention`, `reply`, `follow`, `dm`, `moderation`): `{"in_app", "email"}`.
    Direct messages and moderation decisions always show in the app."""
    chosen = actions.set_preferences(actor(request), {k: v.dict() for k, v in payload.items()})
    return {k: {"in_app": a, "email": e} for k, (a, e) in chosen.items()}
