"""Actors on other servers: fetched (safely: federation/fetch.py), checked, kept
(`RemoteActor`), refreshed when their key no longer verifies, and given an account here the
first time they take part (`User.domain` set), so their posts are posts like any other."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from backchannel.accounts.models import User

from . import fetch
from .actions import site_key
from .actors import host, site_actor_id
from .models import RemoteActor

ACTOR_TYPES = {"Person", "Service", "Application", "Group", "Organization"}
# How long a fetched actor is trusted before it is fetched again when next needed.
FRESH_FOR = dt.timedelta(days=1)


class BadActor(ValueError):
    """A document that is not a usable actor (or names another server than it came from)."""


def domain_of(uri: str) -> str:
    return urlsplit(uri).netloc.lower()


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _url(value: Any) -> str:
    if isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) < 2000:
        return value
    return ""


def _fields(document: dict[str, Any], uri: str) -> dict[str, Any]:
    """The columns of a RemoteActor from its document, which must be what was asked for."""
    if document.get("id") != uri:
        raise BadActor("The actor document's id is not the address it was fetched from.")
    if document.get("type") not in ACTOR_TYPES:
        raise BadActor("The document is not an actor.")
    key = document.get("publicKey")
    if isinstance(key, list):
        key = key[0] if key else None
    if not isinstance(key, dict) or not isinstance(key.get("publicKeyPem"), str):
        raise BadActor("The actor has no public key.")
    key_id = _text(key.get("id"), 2000)
    if key.get("owner", uri) != uri or domain_of(key_id) != domain_of(uri):
        raise BadActor("The actor's key belongs to someone else.")
    endpoints = document.get("endpoints")
    shared = _url(endpoints.get("sharedInbox")) if isinstance(endpoints, dict) else ""
    inbox = _url(document.get("inbox"))
    if not inbox or domain_of(inbox) != domain_of(uri):
        raise BadActor("The actor's inbox is missing or on another server.")
    username = _text(document.get("preferredUsername"), 200).strip()
    if not username:
        raise BadActor("The actor has no preferredUsername.")
    return {
        "domain": domain_of(uri),
        "kind": document["type"],
        "username": username,
        "name": _text(document.get("name"), 200),
        "url": _url(document.get("url")),
        "inbox": inbox,
        "shared_inbox": shared if shared and domain_of(shared) == domain_of(uri) else "",
        "key_id": key_id,
        "public_key_pem": key["publicKeyPem"][:10_000],
    }


def refresh(uri: str) -> RemoteActor:
    """Fetch the actor at `uri` and keep what it says (raises FetchError, BadActor)."""
    if not uri.startswith(("https://", "http://")) or domain_of(uri) == host().lower():
        raise BadActor("Not a remote actor's address.")
    fields = _fields(fetch.get_json(uri, signer=site_signer()), uri)
    actor, _ = RemoteActor.objects.update_or_create(
        uri=uri, defaults={**fields, "fetched_at": timezone.now()}
    )
    if actor.user_id is not None:
        User.objects.filter(pk=actor.user_id).update(display_name=actor.name[:50])
    return actor


def site_signer() -> tuple[str, str]:
    """The site actor's key, which signs our requests for documents."""
    return f"{site_actor_id()}#main-key", site_key().private_pem


def known(uri: str) -> RemoteActor | None:
    return RemoteActor.objects.filter(uri=uri).first()


def find(uri: str) -> RemoteActor:
    """The actor at `uri`: as kept, or fetched when new or stale."""
    actor = known(uri)
    if actor is not None and timezone.now() - actor.fetched_at < FRESH_FOR:
        return actor
    return refresh(uri)


def owner_of_key(key_id: str) -> str:
    """The actor a key id belongs to. Mastodon's keys are `<actor>#main-key`; others serve a
    key document naming its owner."""
    actor = RemoteActor.objects.filter(key_id=key_id).values_list("uri", flat=True).first()
    if actor:
        return str(actor)
    base, fragment = urldefrag(key_id)
    if fragment:
        return base
    document = fetch.get_json(key_id, signer=site_signer())
    owner = document.get("owner") or document.get("id")
    if not isinstance(owner, str) or domain_of(owner) != domain_of(key_id):
        raise BadActor("The key names no owner on its own server.")
    return owner


def person_for(actor: RemoteActor) -> User:
    """Their account here (made the first time they take part): `name@server`, no password,
    never signed in to, never mailed."""
    if actor.user_id is not None:
        return actor.user  # type: ignore[return-value]
    base = f"{actor.username}@{actor.domain}"[:290]
    with transaction.atomic():
        for attempt in range(10):
            # Two actors may claim one handle (an account moved and came back): number them.
            username = base if attempt == 0 else f"{base}~{attempt}"
            try:
                with transaction.atomic():
                    user = User.objects.create(
                        username=username,
                        domain=actor.domain,
                        display_name=actor.name[:50],
                        password=make_password(None),  # unusable: never signs in
                    )
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - ten actors with one handle
            raise BadActor("Too many accounts with this handle.")
        actor.user = user
        actor.save(update_fields=["user"])
    return user
