"""Content negotiation: a page whose address is also an ActivityPub actor answers the actor
document to clients that ask for `application/activity+json` (or JSON-LD with the
ActivityStreams profile), and HTML to everyone else (docs/federation.md)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session
from backchannel.federation import objects
from backchannel.federation.actors import ACTIVITY_JSON, actor_of
from backchannel.feed.models import Post

View = Callable[..., HttpResponse]


def wants_activity(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return ACTIVITY_JSON in accept or (
        "application/ld+json" in accept and "https://www.w3.org/ns/activitystreams" in accept
    )


def activity_response(document: dict[str, Any] | None, status: int = 200) -> HttpResponse:
    """An ActivityStreams document; None: 404, as for what does not exist."""
    if document is None:
        document, status = {"error": "Not found."}, 404
    return HttpResponse(
        json.dumps(document), status=status, content_type=f"{ACTIVITY_JSON}; charset=utf-8"
    )


def _document(found: Any) -> dict[str, Any] | None:
    if isinstance(found, Post):
        return objects.note_or_tombstone(found)
    return actor_of(found)


def negotiated(find: Callable[..., User | Event | Session | Post | None]) -> Callable[[View], View]:
    """Serve the actor or the Note of `find(**the view's arguments)` to ActivityPub clients
    (404 when there is none or it does not federate; 410 with a Tombstone for a post that
    left the feed), and the page to everyone else."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD") and wants_activity(request):
                found = find(**kwargs)
                document = _document(found) if found is not None else None
                gone = document is not None and document.get("type") == "Tombstone"
                response = activity_response(document, status=410 if gone else 200)
            else:
                response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Accept"])
            return response

        return wrapper

    return decorate
