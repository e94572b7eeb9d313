"""Actors' collections: the outbox (the latest public activities), followers and following
(counts only: who follows whom is not listed, as Mastodon lets people choose)."""

from __future__ import annotations

from typing import Any

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session

from .actors import CONTEXT
from .models import Activity, Follow
from .objects import actor_id

OUTBOX_ITEMS = 20
KINDS = ("outbox", "followers", "following")


def _key_filter(owner: User | Event | Session, prefix: str) -> dict[str, Any]:
    field = {User: "user", Event: "event", Session: "session"}[type(owner)]
    return {f"{prefix}__{field}": owner}


def collection(owner: User | Event | Session, kind: str) -> dict[str, Any] | None:
    if kind not in KINDS:
        return None
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{actor_id(owner)}ap/{kind}/",
        "type": "OrderedCollection",
    }
    if kind == "followers":
        document["totalItems"] = Follow.objects.filter(**_key_filter(owner, "followed")).count()
    elif kind == "following":
        document["totalItems"] = 0
    else:
        sent = Activity.objects.filter(
            kind__in=("Create", "Announce"), **_key_filter(owner, "sender")
        )
        document["totalItems"] = sent.count()
        document["orderedItems"] = [
            activity.document for activity in sent.order_by("-pk")[:OUTBOX_ITEMS]
        ]
    return document
