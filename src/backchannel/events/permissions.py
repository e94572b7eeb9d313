"""Who may do what at an event: one function per rule."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .models import Event, Registration

Role = Registration.Role
STAFF_ROLES = {Role.ORGANISER, Role.FACILITATOR}


def role_at(user: Any, event: Event) -> str | None:
    """The user's role at the event, or None. Cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_event_roles", {})
    if event.pk not in cache:
        cache[event.pk] = (
            Registration.objects.filter(event=event, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[event.pk]


def forget_roles(user: Any) -> None:
    user.__dict__.pop("_event_roles", None)
    user.__dict__.pop("_event_restrictions", None)


def restriction_at(user: Any, event: Event) -> str | None:
    """The user's active sanction at the event ("mute", "suspend", "ban") or None. Cached on
    the user object for the request, like roles."""
    if user is None or not user.is_authenticated:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_event_restrictions", {})
    if event.pk not in cache:
        # Moderation owns sanctions; imported here to keep the import graph one-way at load.
        from backchannel.moderation.queries import active_sanction_kind

        cache[event.pk] = active_sanction_kind(user, event.pk)
    return cache[event.pk]


def is_shut_out(user: Any, event: Event) -> bool:
    """Suspended or banned: cannot write, react, report or follow the event live."""
    return restriction_at(user, event) in {"suspend", "ban"}


def can_create_event(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return settings.BACKCHANNEL_EVENT_CREATION == "anyone" or user.is_staff


def can_view_event(user: Any, event: Event) -> bool:
    """Public events are open to all; join-code events to their members (and site staff)."""
    if event.is_public:
        return True
    if bool(getattr(user, "is_staff", False)):
        return True
    return role_at(user, event) is not None and not is_shut_out(user, event)


def can_join_event(user: Any, event: Event) -> bool:
    return bool(user.is_authenticated and user.is_active) and restriction_at(user, event) != "ban"


def can_manage_event(user: Any, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or role_at(user, event) == Role.ORGANISER


def can_moderate_event(user: Any, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or role_at(user, event) in STAFF_ROLES


def can_participate(user: Any, event: Event) -> bool:
    """Write in the event's feeds: a signed-in, active member who is not suspended (a muted
    member may still react; posting checks the mute with its own message)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return role_at(user, event) is not None and not is_shut_out(user, event)
