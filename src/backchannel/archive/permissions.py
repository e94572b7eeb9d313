"""Who may do what with archives: one function per rule."""

from __future__ import annotations

from backchannel.accounts.models import Reader
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event


def can_export(user: Reader, event: Event) -> bool:
    """Bulk downloads of an event's conversation are for its organisers (and site staff): the
    archive pages are there for everyone else, and people's export consent is honoured."""
    return event_permissions.can_manage_event(user, event)


def can_view_analytics(user: Reader, event: Event) -> bool:
    """The dashboards are for the event's organisers (and site staff), like the exports."""
    return event_permissions.can_manage_event(user, event)
