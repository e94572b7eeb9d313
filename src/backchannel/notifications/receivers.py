"""What notifications do when a lower domain tells them something (notifications/apps.py
connects these to the signals)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from backchannel.accounts.models import User
from backchannel.feed.models import Post

from .actions import notify, notify_post_published
from .models import Kind


def post_published(sender: Any, *, post: Post, mentioned: list[User], **_: Any) -> None:
    """Tell the author of the post it replies to, and the people it mentions."""
    if post.reply_to_id is not None or mentioned:
        notify_post_published(post, mentioned)


def followed(sender: Any, *, follower: User, followee: User, **_: Any) -> None:
    notify(
        followee,
        Kind.FOLLOW,
        text=f"{follower.name} (@{follower.username}) followed you.",
        url=reverse("profile", args=[follower.username]),
        actor=follower,
    )
