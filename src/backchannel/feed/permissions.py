"""Who may do what in a feed: one function per rule."""

from __future__ import annotations

from backchannel.accounts.models import Reader
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session

from .models import Post


def can_post(user: Reader, session: Session) -> bool:
    return event_permissions.can_participate(user, session.event)


def can_react(user: Reader, post: Post) -> bool:
    return event_permissions.can_participate(user, post.session.event)


def can_delete_post(user: Reader, post: Post) -> bool:
    if not user.is_authenticated:
        return False
    return post.author_id == user.pk or event_permissions.can_moderate_event(
        user, post.session.event
    )


def can_post_coverage(user: Reader, session: Session) -> bool:
    """Official live coverage: the event's facilitators and organisers."""
    return event_permissions.can_moderate_event(user, session.event)
