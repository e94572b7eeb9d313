"""Linking a session with a session on another server (docs/federation.md): a satellite venue
watching a keynote elsewhere, two conferences sharing a panel. Our session's Group follows
theirs; what their session announces arrives here as posts in ours, through everything a post
goes through; what our people answer goes back to its authors' server. Link both ways and
each side's conversation reaches the other."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import transaction

from backchannel.accounts.models import User
from backchannel.errors import Invalid, NotAllowed, NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session

from . import delivery, fetch, objects, permissions, remote
from .actions import key_of
from .models import Following, RemoteActor


def _webfinger(handle: str) -> str:
    """The actor id `name@server` names, found as Mastodon finds it."""
    name, at, server = handle.strip().lstrip("@").rpartition("@")
    if not at or not name or not server or "/" in server:
        raise Invalid("Give the session's fediverse name, such as ti2012.12@server.example.")
    schemes = ["https"] + (["http"] if settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP else [])
    last_error: Exception | None = None
    for scheme in schemes:
        url = f"{scheme}://{server}/.well-known/webfinger?resource=acct:{quote(f'{name}@{server}')}"
        try:
            jrd = fetch.get_json(url)
        except fetch.FetchError as exc:
            last_error = exc
            continue
        for link in jrd.get("links") or []:
            if isinstance(link, dict) and link.get("rel") == "self":
                href = link.get("href")
                if isinstance(href, str) and remote.domain_of(href) == server.lower():
                    return href
        raise Invalid(f"{server} does not name an actor {name}.")
    raise Invalid(f"{server} could not be reached: {last_error}"[:300])


def link_session(actor: User, session: Session, *, handle: Any) -> Following:
    """Follow the session `handle` names on another server, for `session` here."""
    if not event_permissions.can_manage_event(actor, session.event):
        raise NotAllowed("Only the event's organisers link its sessions.")
    if not permissions.session_federates(session):
        raise NotAllowed("This session's event does not federate.", code="not_federating")
    if not isinstance(handle, str) or len(handle) > 300:
        raise Invalid("Give the session's fediverse name, such as ti2012.12@server.example.")
    group = remote.find(_webfinger(handle))
    if group.kind != "Group":
        raise Invalid("That is a person, not a session: link sessions to sessions.")
    if not permissions.server_allowed(group.domain):
        raise NotAllowed("This site does not federate with that server.")
    with transaction.atomic():
        existing = Following.objects.filter(follower=key_of(session), followed=group).first()
        if existing is not None:
            return existing
        follow = objects.follow(session, group.uri)
        following = Following.objects.create(
            follower=key_of(session), followed=group, activity_uri=follow["id"]
        )
        delivery.send(session, follow, [group.inbox])
    return following


def unlink_session(actor: User, following: Following) -> None:
    session = following.follower.session
    if session is None or not event_permissions.can_manage_event(actor, session.event):
        raise NotAllowed("Only the event's organisers link its sessions.")
    with transaction.atomic():
        follow = objects.follow(session, following.followed.uri, activity_id=following.activity_uri)
        delivery.send(session, objects.undo(follow), [following.followed.inbox])
        following.delete()


def sessions_following(group: RemoteActor) -> list[Session]:
    """Our sessions that follow `group` (and still federate)."""
    links = Following.objects.filter(followed=group).select_related("follower__session__event")
    sessions = [link.follower.session for link in links if link.follower.session is not None]
    return [session for session in sessions if permissions.session_federates(session)]


def links_of(session: Session) -> list[Following]:
    return list(
        Following.objects.filter(follower__session=session)
        .select_related("followed")
        .order_by("created_at")
    )


def link_of(session: Session, link_id: Any) -> Following:
    found = None
    if isinstance(link_id, str) and link_id.isdigit() and len(link_id) < 18:
        found = Following.objects.filter(pk=int(link_id), follower__session=session).first()
    if found is None:
        raise NotFound("No such link.")
    return found
