"""What federation does when the feed tells it something (federation/apps.py connects these).
Inside the write's transaction, and cheap: posting is the hot path. The queue's tasks
(federation/outgoing.py through federation/tasks.py) work out who gets what."""

from __future__ import annotations

from typing import Any

from backchannel.accounts.models import User
from backchannel.feed.models import Post

from . import permissions


def _federating(post: Post) -> bool:
    return permissions.event_federates(post.session.event)


def post_published(sender: Any, *, post: Post, **_: Any) -> None:
    if _federating(post):
        from .tasks import federate_post  # the tasks import the rooms that import this one

        federate_post.enqueue(post.pk)


def post_shown(sender: Any, *, post: Post, **_: Any) -> None:
    post_published(sender, post=post)


def post_withdrawn(sender: Any, *, post: Post, **_: Any) -> None:
    if _federating(post):
        from .tasks import withdraw_post

        withdraw_post.enqueue(post.pk)


def reacted(sender: Any, *, post: Post, user: User, kind: str, on: bool, **_: Any) -> None:
    if post.author.is_remote and not user.is_remote and _federating(post):
        from .tasks import federate_like

        federate_like.enqueue(post.pk, user.pk, on)
