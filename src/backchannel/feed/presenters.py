"""How a post looks to the outside: the JSON of the API and stream, and its HTML fragment.

Both are viewer-neutral, so a stream event is encoded once for every reader; what depends on
the viewer (their own like, their delete button) is marked by the page after insertion.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from backchannel.accounts.models import User
from backchannel.events.models import Event

from .models import Post


def author_data(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "handle": user.username,
        "display_name": user.name,
        "affiliation": user.affiliation,
        "disclaimer": user.disclaimer,
        "profile_url": reverse("profile", args=[user.username]),
    }


def post_html(post: Post, event: Event) -> str:
    # No viewer: no likes of "mine", no delete button; the page script marks those.
    context = {"post": post, "event": event}
    return render_to_string("feed/_post.html", context)


def article_data(post: Post) -> dict[str, Any] | None:
    """The blog article a post comments on, if any (read only for such posts)."""
    if post.article_id is None:
        return None
    article = post.article
    assert article is not None
    return {
        "id": article.pk,
        "title": article.title,
        "url": reverse("article", args=[article.slug]),
    }


def post_data(post: Post, *, with_html: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": post.pk,
        "session_id": post.session_id,
        # Whom they spoke for when they wrote it, not now.
        "author": {
            **author_data(post.author),
            "affiliation": post.affiliation,
            "disclaimer": post.disclaimer,
        },
        "body": post.body,
        "body_html": post.body_html,
        "reply_to": post.reply_to_id,
        "thread_root": post.thread_root_id,
        "like_count": post.like_count,
        "created_at": post.created_at.isoformat(),
        "deleted": post.is_deleted,
        "status": post.status,
        "official": post.official,
        "tweet_seat": post.tweet_seat,
        "coverage": post.coverage,
        "article": article_data(post),
    }
    if with_html:
        data["html"] = post_html(post, post.session.event)
    return data
