"""What may federate. The site federates only with a public address it can be reached at;
an event only when public and its organisers turned federation on; a session when its event
does. Join-code events and everything in them never federate, and remote requests for them
are answered as if they did not exist."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session


def unavailable_because() -> str | None:
    """Why the site cannot federate (None: it can), in words for an organiser."""
    if not settings.BACKCHANNEL_FEDERATION:
        return "Federation is turned off for this site (BACKCHANNEL_FEDERATION)."
    address = urlsplit(settings.BACKCHANNEL_SITE_URL)
    if not address.netloc:
        return (
            "The site's public address is not set (BACKCHANNEL_SITE_URL): other servers "
            "would not know where to find it."
        )
    if address.scheme != "https" and not settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP:
        return "The site's public address must be https for other servers to trust it."
    return None


def site_federates() -> bool:
    return unavailable_because() is None


def event_federates(event: Event) -> bool:
    return (
        site_federates()
        and event.federates
        and event.access == Event.Access.PUBLIC
        and event.purged_at is None
    )


def session_federates(session: Session) -> bool:
    return event_federates(session.event)


def person_federates(user: User) -> bool:
    """People are actors the fediverse can look up while the site federates, as their
    profile page is public here; an account being deleted is gone."""
    return site_federates() and user.is_active and user.deletion_due_at is None
