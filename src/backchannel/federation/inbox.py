"""What other servers send us (docs/federation.md).

`receive()` runs in the request: it refuses what is malformed (400), from a blocked server
(403), unsigned or badly signed (401); keeps what is left (`Received`, unique by the
activity's id, so a repeat changes nothing) and queues it (202). `handle()` runs in the
worker and does the work: a Follow is accepted, a Note addressed to a session becomes a post
there through everything a local post goes through, a Like is a like, a Delete deletes, a Flag
is a report for the facilitators."""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

from backchannel import ratelimits
from backchannel.errors import ActionError
from backchannel.events import actions as event_actions
from backchannel.events.models import Event, Session
from backchannel.feed import actions as feed_actions
from backchannel.feed.models import Post, Reaction
from backchannel.moderation import actions as moderation_actions

from . import delivery, discovery, fetch, linking, objects, permissions, remote, signatures
from .actions import key_of
from .actors import base_url, host
from .fetch import FetchError
from .models import Follow, Following, Instance, Received, RemoteActor, RemotePost

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000


@dataclass(frozen=True)
class Answer:
    status: int
    message: str


def _refuse(status: int, message: str) -> Answer:
    return Answer(status, message)


def _id_of(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def receive(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
    """Check and keep one activity POSTed to an inbox; the work happens in the worker."""
    if len(body) > MAX_BODY:
        return _refuse(413, "The activity is too large.")
    try:
        document = json.loads(body)
    except ValueError:
        return _refuse(400, "The body is not JSON.")
    if not isinstance(document, dict):
        return _refuse(400, "The body is not an activity.")
    uri, actor_uri = _id_of(document), _id_of(document.get("actor"))
    if not uri or not actor_uri or not isinstance(document.get("type"), str):
        return _refuse(400, "An activity has an id, a type and an actor.")
    if remote.domain_of(uri) != remote.domain_of(actor_uri):
        return _refuse(400, "The activity's id is not on its actor's server.")
    if remote.domain_of(actor_uri) in ("", host().lower()):
        return _refuse(400, "The actor is not on another server.")
    if not permissions.server_allowed(remote.domain_of(actor_uri)):
        return _refuse(403, "This server does not take activities from yours.")
    incoming = signatures.Incoming(
        method=method, url=f"{base_url()}{path}", headers=headers, body=body
    )
    try:
        key_id = signatures.key_id(incoming)
        if remote.domain_of(key_id) != remote.domain_of(actor_uri):
            raise signatures.SignatureError("The request is signed by another server.")
        if remote.owner_of_key(key_id) != actor_uri:
            raise signatures.SignatureError("The request is signed by someone else.")
        actor = _verified_sender(incoming, actor_uri)
    except _GoneActor:
        return Answer(202, "Accepted.")  # an account we never knew, deleted: nothing to do
    except (signatures.SignatureError, remote.BadActor, FetchError) as exc:
        return _refuse(401, str(exc)[:200] or "The signature could not be checked.")
    from .tasks import handle_received  # the task module imports this one

    try:
        with transaction.atomic():
            received = Received.objects.create(uri=uri[:2000], sender=actor, document=document)
            handle_received.enqueue(received.pk)
    except IntegrityError:
        pass  # sent again: we have it already
    return Answer(202, "Accepted.")


class _GoneActor(Exception):
    pass


def _verified_sender(incoming: signatures.Incoming, actor_uri: str) -> RemoteActor:
    """The sender, whose key verifies the request; fetched again once if the key we kept does
    not (keys are rotated)."""
    actor = remote.known(actor_uri)
    if actor is not None:
        try:
            signatures.verify(incoming, actor.public_key_pem)
            return actor
        except signatures.SignatureError:
            pass
    try:
        actor = remote.refresh(actor_uri)
    except FetchError:
        document = json.loads(incoming.body)
        if document.get("type") == "Delete" and _id_of(document.get("object")) == actor_uri:
            raise _GoneActor() from None
        raise
    signatures.verify(incoming, actor.public_key_pem)
    return actor


# What arrived, handled in the worker.


def handle(received_id: int) -> str:
    received = Received.objects.select_related("sender").filter(pk=received_id).first()
    if received is None or received.state != Received.State.PENDING:
        return "already handled"
    handler = _HANDLERS.get(str(received.document.get("type")), _ignore)
    domain = received.sender.domain
    try:
        # Limits count per remote person and per server (the "address" they come from).
        with ratelimits.counting_from(f"fediverse:{domain}"):
            outcome = handler(received.sender, received.document)
        state = Received.State.DONE
    except ActionError as exc:
        outcome, state = exc.message, Received.State.REFUSED
    except (FetchError, remote.BadActor, ValueError, KeyError, TypeError) as exc:
        outcome, state = f"{type(exc).__name__}: {exc}", Received.State.REFUSED
    Received.objects.filter(pk=received.pk).update(state=state, outcome=outcome[:300])
    return outcome


def _ignore(sender: RemoteActor, document: dict[str, Any]) -> str:
    return f"{document.get('type')} is not something we act on"


def _follow(sender: RemoteActor, document: dict[str, Any]) -> str:
    target = discovery.local_actor(_id_of(document.get("object")))
    if target is None:
        return "nothing here by that id federates"
    with transaction.atomic():
        Follow.objects.update_or_create(
            follower=sender, followed=key_of(target), defaults={"activity_uri": document["id"]}
        )
        delivery.send(target, objects.accept(target, document), [sender.inbox])
    return "followed"


def _undo(sender: RemoteActor, document: dict[str, Any]) -> str:
    inner = document.get("object")
    inner_id = _id_of(inner)
    kind = inner.get("type") if isinstance(inner, dict) else None
    if kind == "Follow" or Follow.objects.filter(follower=sender, activity_uri=inner_id).exists():
        target = (
            discovery.local_actor(_id_of(inner.get("object"))) if isinstance(inner, dict) else None
        )
        follows = Follow.objects.filter(follower=sender)
        if target is not None:
            follows = follows.filter(followed=key_of(target))
        else:
            follows = follows.filter(activity_uri=inner_id)
        follows.delete()
        return "unfollowed"
    if kind == "Announce" and linking.sessions_following(sender):
        # A session we follow took it back (its facilitators removed it there): here too.
        note = _id_of(inner.get("object")) if isinstance(inner, dict) else ""
        copies = Post.objects.filter(remote__uri=note, deleted_at=None)
        for copy in copies.select_related("author", "session__event"):
            feed_actions.delete_post(copy.author, copy)
        return "announce taken back"
    if kind == "Like" and isinstance(inner, dict):
        post = _local_post(_id_of(inner.get("object")))
        if post is not None and sender.user is not None:
            feed_actions.set_reaction(sender.user, post, kind=Reaction.Kind.LIKE, on=False)
        return "like taken back"
    return "nothing to undo"


_POST_PATH = re.compile(r"^/posts/(\d{1,18})/$")


def _local_post(uri: str) -> Post | None:
    """One of our posts by its id (ours: `/posts/<n>/`; or a remote one we keep)."""
    address = urlsplit(uri)
    if f"{address.scheme}://{address.netloc}" == base_url():
        found = _POST_PATH.match(address.path)
        if found is None:
            return None
        post = Post.objects.select_related("session__event", "author").filter(pk=int(found[1]))
        return post.first()
    known = RemotePost.objects.select_related("post__session__event").filter(uri=uri).first()
    return known.post if known else None


def _addressed(note: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for field in ("to", "cc", "audience"):
        value = note.get(field)
        found += (
            [value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)]
        )
    return found


def _session_for(note: dict[str, Any], parent: Post | None) -> Session | None:
    """Where a Note goes: the session of the post it answers, or the session (or event: its
    lobby) it is addressed to."""
    if parent is not None:
        return parent.session
    for uri in _addressed(note):
        target = discovery.local_actor(uri)
        if isinstance(target, Session):
            return target
        if isinstance(target, Event):
            return Session.objects.filter(event=target, kind=Session.Kind.LOBBY).first()
    return None


_GROUP_MENTION = re.compile(r"^(\s*@[\w.\-]+(@[\w.\-:]+)?\s+)+")


def _text_of(note: dict[str, Any]) -> str:
    """The Note's words as plain text (what our own posts are): paragraphs and line breaks
    kept, markup dropped, the leading mentions of our groups taken off."""
    source = note.get("source")
    if isinstance(source, dict) and source.get("mediaType") == "text/plain":
        text = str(source.get("content", ""))
    else:
        html = str(note.get("content", ""))[:20_000]
        html = re.sub(r"(?i)<br\s*/?>", "\n", html)
        html = re.sub(r"(?i)</p>\s*<p[^>]*>", "\n\n", html)
        text = html_lib.unescape(strip_tags(html))
    return _GROUP_MENTION.sub("", normalize_newlines(text)).strip()


def _create(sender: RemoteActor, document: dict[str, Any]) -> str:
    note = document.get("object")
    if not isinstance(note, dict) or note.get("type") != "Note":
        return "only Notes become posts"
    uri = _id_of(note)
    if not uri or remote.domain_of(uri) != sender.domain:
        raise ValueError("The Note is not on its author's server.")
    if _id_of(note.get("attributedTo")) != sender.uri:
        raise ValueError("The Note is not by the actor who sent it.")
    if not _public(note):
        return "only public Notes become posts (direct messages never federate)"
    if RemotePost.objects.filter(uri=uri).exists():
        return "already here"
    parent = _local_post(_id_of(note.get("inReplyTo")))
    session = _session_for(note, parent)
    if session is None or not permissions.session_federates(session):
        return "not addressed to anything here that federates"
    return _post_note(sender, note, session, parent)


def _public(note: dict[str, Any]) -> bool:
    return objects.PUBLIC in _addressed(note) or "as:Public" in _addressed(note)


def _post_note(
    sender: RemoteActor, note: dict[str, Any], session: Session, parent: Post | None
) -> str:
    """A Note by `sender` as a post in `session`, through everything a post goes through."""
    uri = _id_of(note)
    user = remote.person_for(sender)
    event_actions.admit_from_elsewhere(user, session.event)
    limited = permissions.instance_policy(sender.domain) == Instance.Policy.LIMIT
    with transaction.atomic():
        result = feed_actions.create_post(
            user,
            session,
            body=_text_of(note)[:4000],
            reply_to=parent.pk if parent is not None and parent.session_id == session.pk else None,
            held_for="instance" if limited else "",
        )
        RemotePost.objects.create(post=result.post, uri=uri, url=_text_url(note.get("url")))
    return "held for facilitators" if result.held else "posted"


def _announce(sender: RemoteActor, document: dict[str, Any]) -> str:
    """A session we follow (linking.py) announces a Note: it becomes a post in ours. The Note
    is fetched from its own server: what a group says someone wrote is not taken on trust."""
    sessions = linking.sessions_following(sender)
    if not sessions:
        return "not from a session we follow"
    uri = _id_of(document.get("object"))
    if not uri or remote.domain_of(uri) == host().lower():
        return "one of ours"
    if RemotePost.objects.filter(uri=uri).exists():
        return "already here"
    note = fetch.get_json(uri, signer=remote.site_signer())
    if note.get("id") != uri or note.get("type") != "Note":
        raise ValueError("The announced object is not the Note it names.")
    author_uri = _id_of(note.get("attributedTo"))
    if not author_uri or remote.domain_of(author_uri) != remote.domain_of(uri):
        raise ValueError("The Note's author is not on its server.")
    if not _public(note):
        return "only public Notes become posts"
    author = remote.find(author_uri)
    if not permissions.server_allowed(author.domain):
        return "from a server this site does not federate with"
    parent = _local_post(_id_of(note.get("inReplyTo")))
    session = parent.session if parent is not None and parent.session in sessions else sessions[0]
    return _post_note(author, note, session, parent)


def _accept(sender: RemoteActor, document: dict[str, Any]) -> str:
    follow = _id_of(document.get("object"))
    updated = Following.objects.filter(
        followed=sender, activity_uri=follow, accepted_at=None
    ).update(accepted_at=timezone.now())
    return "linked" if updated else "nothing pending"


def _reject(sender: RemoteActor, document: dict[str, Any]) -> str:
    follow = _id_of(document.get("object"))
    Following.objects.filter(followed=sender, activity_uri=follow).delete()
    return "refused: not linked"


def _text_url(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("href", "")
    return (
        value if isinstance(value, str) and value.startswith("http") and len(value) < 2000 else ""
    )


def _delete(sender: RemoteActor, document: dict[str, Any]) -> str:
    target = _id_of(document.get("object"))
    user = sender.user
    if user is None:
        return "nothing of theirs here"
    if target == sender.uri:
        posts = Post.objects.filter(author=user, deleted_at=None)
    else:
        posts = Post.objects.filter(author=user, deleted_at=None, remote__uri=target)
    count = 0
    for post in posts.select_related("session__event"):
        feed_actions.delete_post(user, post)
        count += 1
    return f"deleted {count}"


def _like(sender: RemoteActor, document: dict[str, Any]) -> str:
    post = _local_post(_id_of(document.get("object")))
    if post is None or not permissions.session_federates(post.session):
        return "no such post here"
    user = remote.person_for(sender)
    event_actions.admit_from_elsewhere(user, post.session.event)
    feed_actions.set_reaction(user, post, kind=Reaction.Kind.LIKE, on=True)
    return "liked"


def _update(sender: RemoteActor, document: dict[str, Any]) -> str:
    inner = document.get("object")
    if isinstance(inner, dict) and _id_of(inner) == sender.uri:
        remote.refresh(sender.uri)
        return "profile refreshed"
    # Edits of posts are not taken: what was checked and published stays as it was.
    return "edits of posts are not taken"


def _flag(sender: RemoteActor, document: dict[str, Any]) -> str:
    targets = document.get("object")
    targets = targets if isinstance(targets, list) else [targets]
    reporter = remote.person_for(sender)
    note = str(document.get("content") or "")[:500]
    reported = 0
    for target in targets[:20]:
        post = _local_post(_id_of(target))
        if post is None or not post.is_published:
            continue
        event_actions.admit_from_elsewhere(reporter, post.session.event)
        moderation_actions.report_post(
            reporter, post, reason="policy", note=f"Reported from {sender.domain}: {note}"
        )
        reported += 1
    return f"reported {reported}"


_HANDLERS = {
    "Follow": _follow,
    "Undo": _undo,
    "Create": _create,
    "Delete": _delete,
    "Like": _like,
    "Update": _update,
    "Flag": _flag,
    "Announce": _announce,
    "Accept": _accept,
    "Reject": _reject,
}
