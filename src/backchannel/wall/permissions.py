"""Who runs the projector wall."""

from __future__ import annotations

from backchannel.accounts.models import Reader
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session


def can_run_wall(user: Reader, session: Session) -> bool:
    """Pause, change what it shows, approve posts for it: the event's facilitators."""
    return event_permissions.can_moderate_event(user, session.event)
