"""What our posts and activities look like to the fediverse (docs/federation.md).

A public post in a federating event is a `Note` by its author's `Person`, addressed to the
public with the session's `Group` as its `audience` (FEP-1b12); the session announces it to
its followers, the event to its own. Each activity's id is made once and kept with it
(federation.models.Activity), so a retry sends the same document."""

from __future__ import annotations

import uuid
from typing import Any

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session
from backchannel.feed.models import Post

from . import permissions
from .actors import base_url, event_id, host, person_id, session_id

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT: list[Any] = [
    "https://www.w3.org/ns/activitystreams",
    {"Hashtag": "as:Hashtag", "sensitive": "as:sensitive"},
]


def post_id(post: Post) -> str:
    """The post's id: its page here, or the Note's id on the server it came from."""
    remote = getattr(post, "remote", None) if post.author.is_remote else None
    if remote is not None:
        return str(remote.uri)
    return f"{base_url()}/posts/{post.pk}/"


def actor_id(owner: User | Event | Session) -> str:
    if isinstance(owner, User):
        return person_id(owner)
    if isinstance(owner, Event):
        return event_id(owner)
    return session_id(owner)


def followers_of(actor: str) -> str:
    return f"{actor}ap/followers/"


def _absolute(html: str) -> str:
    """Posts' HTML links within the site (hashtags, mentions) by path: other servers need the
    whole address."""
    return html.replace('href="/', f'href="{base_url()}/')


def note(post: Post) -> dict[str, Any]:
    """A local, public post as a Note (its replies' and mentions' ids resolved)."""
    session = post.session
    tags: list[dict[str, str]] = [
        {
            "type": "Hashtag",
            "href": f"{base_url()}/e/{session.event.slug}/tags/{tag.name}/",
            "name": f"#{tag.name}",
        }
        for tag in post.hashtags.all()
    ]
    people = [user for user in post.mentions.all() if not user.is_remote]
    mentioned = [person_id(user) for user in people]
    tags += [
        {"type": "Mention", "href": person_id(user), "name": f"@{user.username}@{host()}"}
        for user in people
    ]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": post_id(post),
        "type": "Note",
        "attributedTo": person_id(post.author),
        "content": _absolute(post.body_html),
        "source": {"content": post.body, "mediaType": "text/plain"},
        "published": post.created_at.isoformat(),
        "url": post_id(post),
        "to": [PUBLIC],
        "cc": [followers_of(person_id(post.author)), session_id(session), *mentioned],
        "audience": session_id(session),
        "inReplyTo": post_id(post.reply_to) if post.reply_to_id and post.reply_to else None,
        "sensitive": False,
        "tag": tags,
        "attachment": [],
    }
    if post.disclaimer or post.affiliation:
        # Whom the author spoke for, as every page here shows it beside the post.
        document["summary"] = None
        document["content"] += (
            "<p>"
            + " · ".join(part for part in (post.affiliation, post.disclaimer) if part).replace(
                "<", "&lt;"
            )
            + "</p>"
        )
    return document


def tombstone(post: Post) -> dict[str, Any]:
    return {"@context": CONTEXT, "id": post_id(post), "type": "Tombstone"}


def note_or_tombstone(post: Post) -> dict[str, Any] | None:
    """What a remote request for a post's id gets: None (404) when it never federated."""
    if not permissions.post_federates_out(post, ignoring_state=True):
        return None
    if not permissions.post_federates_out(post):
        return tombstone(post)
    return note(post)


def new_id() -> str:
    return f"{base_url()}/activities/{uuid.uuid4()}"


def create(post: Post) -> dict[str, Any]:
    body = note(post)
    return {
        "@context": CONTEXT,
        "id": new_id(),
        "type": "Create",
        "actor": body["attributedTo"],
        "published": body["published"],
        "to": body["to"],
        "cc": body["cc"],
        "object": body,
    }


def announce(group: Event | Session, post: Post) -> dict[str, Any]:
    actor = actor_id(group)
    return {
        "@context": CONTEXT,
        "id": new_id(),
        "type": "Announce",
        "actor": actor,
        "published": post.created_at.isoformat(),
        "to": [PUBLIC],
        "cc": [followers_of(actor)],
        "object": post_id(post),
    }


def delete(post: Post) -> dict[str, Any]:
    actor = person_id(post.author)
    return {
        "@context": CONTEXT,
        "id": new_id(),
        "type": "Delete",
        "actor": actor,
        "to": [PUBLIC],
        "cc": [followers_of(actor)],
        "object": {"id": post_id(post), "type": "Tombstone"},
    }


def undo(activity: dict[str, Any]) -> dict[str, Any]:
    inner = {key: value for key, value in activity.items() if key != "@context"}
    return {
        "@context": CONTEXT,
        "id": new_id(),
        "type": "Undo",
        "actor": activity["actor"],
        "to": activity.get("to", [PUBLIC]),
        "cc": activity.get("cc", []),
        "object": inner,
    }


def like(person: User, post: Post) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": new_id(),
        "type": "Like",
        "actor": person_id(person),
        "object": post_id(post),
    }


def accept(owner: User | Event | Session, follow: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": new_id(),
        "type": "Accept",
        "actor": actor_id(owner),
        "object": {key: follow[key] for key in ("id", "type", "actor", "object") if key in follow},
    }


def follow(owner: User | Event | Session, target: str, *, activity_id: str = "") -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": activity_id or new_id(),
        "type": "Follow",
        "actor": actor_id(owner),
        "object": target,
    }
