"""What federation does when the feed tells it something (federation/apps.py connects these).
Inside the write's transaction, and cheap: posting is the hot path. The queue's tasks
(federation/outgoing.py through federation/tasks.py) work out who gets what."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from backchannel.accounts.models import User
from backchannel.feed.models import Post

from . import permissions
from .models import Activity, Follow, RemotePost


def _federating(post: Post) -> bool:
    return permissions.event_federates(post.session.event)


def _someone_elsewhere_hears(post: Post) -> bool:
    """Whether another server would get this post: someone there follows its author, its
    session or its event, or it answers a post from there. One indexed query (two for a
    reply) instead of a task for every post of a federating event."""
    event_id = post.session.event_id
    followers = Follow.objects.filter(
        Q(followed__user_id=post.author_id)
        | Q(followed__session_id=post.session_id)
        | Q(followed__event_id=event_id)
    )
    if followers.exists():
        return True
    return post.reply_to_id is not None and (
        RemotePost.objects.filter(post_id=post.reply_to_id).exists()
    )


def post_published(sender: Any, *, post: Post, **_: Any) -> None:
    if _federating(post) and _someone_elsewhere_hears(post):
        from .tasks import federate_post  # the tasks import the rooms that import this one

        federate_post.enqueue(post.pk)


def post_shown(sender: Any, *, post: Post, **_: Any) -> None:
    post_published(sender, post=post)


def post_withdrawn(sender: Any, *, post: Post, **_: Any) -> None:
    # Only what went out needs taking back.
    if _federating(post) and Activity.objects.filter(post=post).exists():
        from .tasks import withdraw_post

        withdraw_post.enqueue(post.pk)


def reacted(sender: Any, *, post: Post, user: User, kind: str, on: bool, **_: Any) -> None:
    if post.author.is_remote and not user.is_remote and _federating(post):
        from .tasks import federate_like

        federate_like.enqueue(post.pk, user.pk, on)
