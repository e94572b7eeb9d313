"""What our actors send, and to whom (run by the queue: federation/tasks.py).

A new public post: its author's `Create` goes to the people following the author and, for a
reply, to the server of the post it answers; the session's `Group` announces it to the
session's followers and the event's `Group` to the event's (FEP-1b12). A post from another
server that arrived in a session is announced the same way. A post that leaves the feed
(deleted, hidden, removed): a `Delete` from its author, for ours, to everyone who got it, and
an `Undo` of each group's `Announce`. Hiding sends the Delete too: what was hidden may be
what must not stay anywhere, and a restored post is announced again."""

from __future__ import annotations

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session
from backchannel.feed.models import Post

from . import delivery, objects, permissions
from .actions import Owner
from .models import Activity, Delivery, Follow, RemoteActor, RemotePost


def _followers(owner: Owner) -> set[str]:
    field = {User: "followed__user", Event: "followed__event", Session: "followed__session"}
    follows = Follow.objects.filter(**{field[type(owner)]: owner}).select_related("follower")
    return {follow.follower.delivery_inbox for follow in follows}


def _load(post_id: int) -> Post | None:
    return (
        Post.objects.select_related("author", "session__event", "reply_to__author")
        .filter(pk=post_id)
        .first()
    )


def _sent(post: Post, kind: str) -> list[Activity]:
    return list(Activity.objects.filter(post=post, kind=kind).order_by("pk"))


def _undone(activity: Activity) -> bool:
    return Activity.objects.filter(kind="Undo", document__object__id=activity.uri).exists()


def publish(post_id: int) -> str:
    post = _load(post_id)
    if post is None or not post.is_published:
        return "not shown"
    session = post.session
    ours = permissions.post_federates_out(post)
    theirs = post.author.is_remote and permissions.session_federates(session)
    if not (ours or theirs):
        return "does not federate"
    if ours and not _sent(post, "Create"):
        inboxes = _followers(post.author)
        parent = post.reply_to
        if parent is not None and parent.author.is_remote:
            origin = RemoteActor.objects.filter(user=parent.author).first()
            if origin is not None:
                inboxes.add(origin.inbox)
        delivery.send(post.author, objects.create(post), inboxes, post=post)
    for group in (session, session.event):
        announced = [
            a for a in _sent(post, "Announce") if a.document["actor"] == objects.actor_id(group)
        ]
        if announced and not all(_undone(a) for a in announced):
            continue
        delivery.send(group, objects.announce(group, post), _followers(group), post=post)
    return "sent"


def _inboxes_of(activities: list[Activity]) -> set[str]:
    """Every inbox the activities went to, or are going to."""
    written = Delivery.objects.filter(activity__in=activities).values_list("inbox", flat=True)
    return {inbox for activity in activities for inbox in activity.recipients} | set(written)


def withdraw(post_id: int) -> str:
    post = _load(post_id)
    if post is None or post.is_published:
        return "still shown"
    announces = [a for a in _sent(post, "Announce") if not _undone(a)]
    for announce in announces:
        owner = delivery.owner_of(announce.sender)
        delivery.send(owner, objects.undo(announce.document), _inboxes_of([announce]), post=post)
    if not post.author.is_remote and not RemotePost.objects.filter(post=post).exists():
        reached = _inboxes_of(_sent(post, "Create") + _sent(post, "Announce"))
        if reached and not _sent(post, "Delete"):
            delivery.send(post.author, objects.delete(post), reached, post=post)
    return "withdrawn"


def like(post_id: int, user_id: int, on: bool) -> str:
    post = _load(post_id)
    user = User.objects.filter(pk=user_id).first()
    origin = RemoteActor.objects.filter(user_id=post.author_id).first() if post else None
    if post is None or user is None or origin is None or not permissions.person_federates(user):
        return "nothing to send"
    likes = [a for a in _sent(post, "Like") if a.document["actor"] == objects.actor_id(user)]
    if on:
        delivery.send(user, objects.like(user, post), [origin.inbox], post=post)
    elif likes:
        delivery.send(user, objects.undo(likes[-1].document), [origin.inbox], post=post)
    return "sent"
