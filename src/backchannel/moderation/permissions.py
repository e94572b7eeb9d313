"""Who may do what in moderation: one function per rule."""

from __future__ import annotations

from backchannel.accounts.models import Reader, User
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event, Registration, Session
from backchannel.feed.models import Post

from .models import Appeal, ModerationAction

Role = Registration.Role

# Decisions the person concerned may appeal (once).
APPEALABLE = {
    ModerationAction.Kind.HIDE,
    ModerationAction.Kind.REMOVE,
    ModerationAction.Kind.WARN,
    ModerationAction.Kind.MUTE,
    ModerationAction.Kind.SUSPEND,
    ModerationAction.Kind.BAN,
}


def can_moderate(user: Reader, event: Event) -> bool:
    """See the queue, the log and the sanctions; act on posts and people: facilitators,
    organisers and site staff."""
    return event_permissions.can_moderate_event(user, event)


def can_report(user: Reader, post: Post) -> bool:
    """Any signed-in person who can read the post, except its author, and not while suspended.
    Reporting is a safety tool: joining first is not required."""
    if not user.is_authenticated or not user.is_active or post.author_id == user.pk:
        return False
    event = post.session.event
    return event_permissions.can_view_event(user, event) and not event_permissions.is_shut_out(
        user, event
    )


def can_act_on_post(user: Reader, post: Post) -> bool:
    return can_moderate(user, post.session.event)


def can_sanction(user: Reader, event: Event, target: User) -> bool:
    """Facilitators may restrict attendees and presenters; organisers also facilitators.
    Nobody restricts themselves, an organiser or site staff here."""
    if not can_moderate(user, event) or target.pk == user.pk or target.is_staff:
        return False
    target_role = event_permissions.role_at(target, event)
    if target_role == Role.ORGANISER:
        return False
    if target_role == Role.FACILITATOR:
        return bool(user.is_staff) or event_permissions.role_at(user, event) == Role.ORGANISER
    return True


def can_change_session_moderation(user: Reader, session: Session) -> bool:
    return can_moderate(user, session.event)


def can_manage_word_filters(user: Reader, event: Event) -> bool:
    return can_moderate(user, event)


def can_appeal(user: Reader, action: ModerationAction) -> bool:
    """The person a decision concerned, once, while the event still exists."""
    if not user.is_authenticated or action.target_id != user.pk:
        return False
    if action.kind not in APPEALABLE:
        return False
    return not Appeal.objects.filter(action=action).exists()


def can_decide_appeal(user: Reader, appeal: Appeal) -> bool:
    return can_moderate(user, appeal.event)


def is_exempt_from_screening(user: Reader, session: Session) -> bool:
    """Facilitators, organisers and the session's presenters post without pre-moderation or
    slow mode (they run the session)."""
    if not user.is_authenticated:
        return False
    role = event_permissions.role_at(user, session.event)
    if role in {Role.ORGANISER, Role.FACILITATOR} or getattr(user, "is_staff", False):
        return True
    return role == Role.PRESENTER and session.presenters.filter(pk=user.pk).exists()


def can_view_transparency(user: Reader, event: Event) -> bool:
    return event_permissions.can_view_event(user, event)
