"""How other servers find our actors: WebFinger (RFC 7033, as Mastodon asks it), NodeInfo 2.1
and host-meta. Everything here answers only while the site federates, and names only actors
that federate."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils import timezone

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session
from backchannel.feed.models import Post

from . import permissions
from .actors import (
    ACTIVITY_JSON,
    base_url,
    event_id,
    host,
    person_id,
    session_id,
    session_name,
    site_actor_id,
)

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


class BadResource(ValueError):
    """A WebFinger resource that is not one we could ever name (400, not 404)."""


def _find(name: str) -> User | Event | Session | None:
    """A person by handle, else an event by slug; `slug.id` is a session of that event."""
    if "." in name:
        slug, _, number = name.partition(".")
        if not number.isdigit() or len(number) > 18:
            return None
        session = Session.objects.select_related("event").filter(
            pk=int(number), event__slug=slug.lower()
        )
        return session.first()
    person = User.objects.filter(username__iexact=name, domain="").first()
    if person is not None:
        return person
    return Event.objects.filter(slug=name.lower()).first()


def _name_in(resource: str) -> str | None:
    """The local name a resource asks for: `acct:name@host`, or one of our actor URLs. None
    when it names another server."""
    if resource.startswith("acct:"):
        name, at, where = resource[len("acct:") :].lstrip("@").rpartition("@")
        if not at or not name or not where:
            raise BadResource("An acct: resource is acct:name@host.")
        return name if where.lower() == host().lower() else None
    address = urlsplit(resource)
    if address.scheme not in ("http", "https") or not address.netloc:
        raise BadResource("Ask for acct:name@host or an actor's address.")
    if address.netloc.lower() != host().lower():
        return None
    parts = [part for part in address.path.split("/") if part]
    if len(parts) == 2 and parts[0] == "u":
        return parts[1]
    if len(parts) == 2 and parts[0] == "e":
        return parts[1]
    if len(parts) == 4 and parts[0] == "e" and parts[2] == "s":
        return f"{parts[1]}.{parts[3]}"
    return None


def webfinger(resource: str) -> dict[str, Any] | None:
    """The JRD for `resource`, or None when nothing here answers to it (404)."""
    if not permissions.site_federates():
        return None
    resource = resource.strip()
    if resource in (f"acct:{host()}@{host()}", site_actor_id()):
        # The site's own actor, as Mastodon names its instance actor.
        return {
            "subject": f"acct:{host()}@{host()}",
            "aliases": [site_actor_id()],
            "links": [{"rel": "self", "type": ACTIVITY_JSON, "href": site_actor_id()}],
        }
    name = _name_in(resource)
    found = _find(name) if name and len(name) <= 120 else None
    if isinstance(found, User) and permissions.person_federates(found):
        username, actor = found.username, person_id(found)
    elif isinstance(found, Event) and permissions.event_federates(found):
        username, actor = found.slug, event_id(found)
    elif isinstance(found, Session) and permissions.session_federates(found):
        username, actor = session_name(found), session_id(found)
    else:
        return None
    return {
        "subject": f"acct:{username}@{host()}",
        "aliases": [actor],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": actor},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor},
        ],
    }


def nodeinfo_links() -> dict[str, Any]:
    return {"links": [{"rel": NODEINFO_SCHEMA, "href": f"{base_url()}/nodeinfo/2.1"}]}


def _software_version() -> str:
    try:
        return version("backchannel")
    except PackageNotFoundError:  # running from a checkout that was not installed
        return "0"


def nodeinfo() -> dict[str, Any]:
    """NodeInfo 2.1: what this server is, and how many take part (never who)."""
    now = timezone.now()
    people = User.objects.filter(is_active=True, deletion_due_at=None, domain="")
    public_posts = Post.objects.filter(
        status=Post.Status.PUBLISHED,
        session__event__access=Event.Access.PUBLIC,
        author__domain="",
    )

    def posted_since(days: int) -> int:
        since = now - dt.timedelta(days=days)
        return people.filter(Q(posts__created_at__gte=since)).distinct().count()

    return {
        "version": "2.1",
        "software": {
            "name": "backchannel",
            "version": _software_version(),
            "homepage": base_url() + "/about/",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": True,
        "usage": {
            "users": {
                "total": people.count(),
                "activeMonth": posted_since(30),
                "activeHalfyear": posted_since(182),
            },
            "localPosts": public_posts.count(),
        },
        "metadata": {"nodeName": "Backchannel"},
    }


def host_meta() -> str:
    """host-meta (RFC 6415): where WebFinger is, for servers that look here first."""
    template = f"{base_url()}/.well-known/webfinger?resource={{uri}}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{template}"/>\n'
        "</XRD>\n"
    )


# Finding what an actor's page names, whoever asks (a remote server has no account here: what
# does not federate is then refused by actors.actor_of).
def person_named(handle: str) -> User | None:
    return User.objects.filter(username__iexact=handle, domain="").first()


def event_named(slug: str) -> Event | None:
    return Event.objects.filter(slug=slug).first()


def post_numbered(post_id: int) -> Post | None:
    return Post.objects.select_related("author", "session__event").filter(pk=post_id).first()


def session_numbered(slug: str, session_id: int) -> Session | None:
    found = Session.objects.select_related("event").filter(pk=session_id, event__slug=slug)
    return found.first()


def local_actor(uri: str) -> User | Event | Session | None:
    """Which of our actors `uri` is (its id, as in an activity), if it federates."""
    try:
        name = _name_in(uri) if uri.startswith(("http://", "https://")) else None
    except BadResource:
        return None
    found = _find(name) if name and len(name) <= 120 else None
    if isinstance(found, User):
        return found if permissions.person_federates(found) else None
    if isinstance(found, Event):
        return found if permissions.event_federates(found) else None
    if isinstance(found, Session):
        return found if permissions.session_federates(found) else None
    return None
