"""The actors the fediverse sees (docs/federation.md): every person a `Person`; every public,
federating event and each of its sessions a `Group` (FEP-1b12, group federation). An actor's
id is its page's address here, which answers the actor document to ActivityPub clients and
HTML to browsers. Sessions are named `<event slug>.<session id>` (`ti2012.12`): a dot is in no
handle and no slug, so the names never clash."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import escape, linebreaks

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session

from . import permissions
from .actions import Owner, key_of, site_key

ACTIVITY_JSON = "application/activity+json"
CONTEXT: list[Any] = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
    },
]


def base_url() -> str:
    return str(settings.BACKCHANNEL_SITE_URL)


def host() -> str:
    """The site's host (and port, if any) as it appears in `acct:` handles."""
    return urlsplit(base_url()).netloc


def person_id(user: User) -> str:
    return f"{base_url()}/u/{user.username}/"


def event_id(event: Event) -> str:
    return f"{base_url()}/e/{event.slug}/"


def session_id(session: Session) -> str:
    return f"{base_url()}/e/{session.event.slug}/s/{session.pk}/"


def session_name(session: Session) -> str:
    return f"{session.event.slug}.{session.pk}"


def _actor(actor_id: str, kind: str, username: str, owner: Owner) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": actor_id,
        "type": kind,
        "preferredUsername": username,
        "url": actor_id,
        "inbox": f"{actor_id}ap/inbox/",
        "outbox": f"{actor_id}ap/outbox/",
        "followers": f"{actor_id}ap/followers/",
        "following": f"{actor_id}ap/following/",
        "endpoints": {"sharedInbox": f"{base_url()}/inbox/"},
        "manuallyApprovesFollowers": False,
        "discoverable": False,
        "publicKey": {
            "id": f"{actor_id}#main-key",
            "owner": actor_id,
            "publicKeyPem": key_of(owner).public_pem,
        },
    }


def person_actor(user: User) -> dict[str, Any]:
    """A person as a `Person`: their name, their bio, and for whom they speak."""
    document = _actor(person_id(user), "Person", user.username, user)
    about = [user.bio]
    if user.affiliation:
        about.append(user.affiliation)
    if user.disclaimer:
        about.append(user.disclaimer)
    document.update(
        name=user.name,
        summary=linebreaks(escape("\n\n".join(part for part in about if part))),
        published=user.date_joined.isoformat(),
    )
    if user.avatar_url:
        document["icon"] = {
            "type": "Image",
            "mediaType": "image/webp",
            "url": f"{base_url()}{user.avatar_url}",
        }
    return document


def event_actor(event: Event) -> dict[str, Any]:
    document = _actor(event_id(event), "Group", event.slug, event)
    document.update(name=event.name, summary=linebreaks(escape(event.description)))
    return document


def session_actor(session: Session) -> dict[str, Any]:
    document = _actor(session_id(session), "Group", session_name(session), session)
    document.update(
        name=f"{session.title} · {session.event.name}",
        summary=linebreaks(escape(session.abstract)),
        attributedTo=event_id(session.event),
    )
    return document


def actor_of(obj: User | Event | Session) -> dict[str, Any] | None:
    """The actor document for a person, event or session, or None when it does not federate
    (a remote request then gets 404, as for something that does not exist)."""
    if isinstance(obj, User):
        return person_actor(obj) if permissions.person_federates(obj) else None
    if isinstance(obj, Event):
        return event_actor(obj) if permissions.event_federates(obj) else None
    return session_actor(obj) if permissions.session_federates(obj) else None


def site_actor_id() -> str:
    return f"{base_url()}/actor"


def site_actor() -> dict[str, Any]:
    """The site itself, an `Application` (as Mastodon's instance actor): it signs our requests
    for documents, for servers that answer only signed ones."""
    actor_id = site_actor_id()
    return {
        "@context": CONTEXT,
        "id": actor_id,
        "type": "Application",
        "preferredUsername": host(),
        "name": "Backchannel",
        "url": f"{base_url()}/about/",
        "inbox": f"{base_url()}/inbox/",
        "outbox": f"{actor_id}/outbox",
        "manuallyApprovesFollowers": True,
        "publicKey": {
            "id": f"{actor_id}#main-key",
            "owner": actor_id,
            "publicKeyPem": site_key().public_pem,
        },
    }
