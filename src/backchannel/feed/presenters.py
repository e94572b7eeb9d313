"""How a post looks to the outside: the JSON of the API and stream, and its HTML fragment.

Both are viewer-neutral in the stream, so a stream event is encoded once for every reader;
what depends on the viewer (their own like, their delete button) is marked by the page after
insertion. Pages render the same fragment with their viewer's state (`{% post_card %}`).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from backchannel.accounts.models import User
from backchannel.accounts.presenters import avatar_html, profile_url
from backchannel.events.models import Event
from backchannel.text import iso_moment

from .models import Post


def author_data(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "handle": user.username,
        "display_name": user.name,
        "affiliation": user.affiliation,
        "disclaimer": user.disclaimer,
        "profile_url": profile_url(user),
    }


# Sample arguments that reverse() accepts and that appear nowhere else in an address.
_SAMPLES: dict[str, object] = {"int": 918273645, "slug": "q9z8x7sample"}


@functools.cache
def _route(name: str, *kinds: str) -> str:
    """`name`'s address as a format string with `{}` for its arguments, reversed once: a
    reverse() per link was a fifth of the fragment's cost. Only for whole numbers and slugs,
    which need no quoting."""
    url = reverse(name, args=[_SAMPLES[k] for k in kinds]).replace("{", "{{").replace("}", "}}")
    for kind in kinds:
        url = url.replace(str(_SAMPLES[kind]), "{}", 1)
    return url


def hashtag_url(event_slug: str, tag: str) -> str:
    """`reverse("hashtag", args=[event_slug, tag])`. A tag of ASCII letters, digits and
    underscores needs no quoting, so its address is formatted (a reverse() a post cost more
    than the link, issue #17); others are reversed, which quotes them."""
    if tag.isascii():
        return _route("hashtag", "slug", "slug").format(event_slug, tag)
    return reverse("hashtag", args=[event_slug, tag])


def card_date(moment: dt.datetime) -> str:
    """`dateformat.format(moment, "j M Y")` ("5 Jul 2026", the month in the active language)
    without its parser, which was a fiftieth of a post (issue #17)."""
    return f"{moment.day} {MONTHS_3[moment.month].title()} {moment.year:04d}"


def post_html(
    post: Post,
    event: Event,
    *,
    liked: bool = False,
    deletable: bool = False,
    csrf_token: str = "",
) -> SafeString:
    """The post's `<article>`, as every feed, page and the stream show it. Plain string
    building (the template engine took a quarter of a post's CPU, issue #17): every value from
    the database is escaped here, `body_html` is already clean (richtext).

    With no viewer (the stream), nothing is "mine" and the delete button is hidden; the page
    script marks those and fills the form token."""
    pk = post.pk
    classes = "post"
    if not post.is_published:
        classes += " post--deleted"
    if post.reply_to_id:
        classes += " post--reply"
    author = post.author
    head = (
        f'<article class="{classes}" id="post-{pk}" data-post-id="{pk}" '
        f'data-author="{escape(author.username)}" '
        f'data-thread-root="{post.thread_root_id if post.thread_root_id is not None else ""}"'
        + (f' data-article="{post.article_id}"' if post.article_id else "")
        + ">\n"
    )
    if not post.is_published:
        return mark_safe(  # noqa: S308 - escaped above
            f'{head}  <p class="post__deleted">{escape(post.gone_text)}</p>\n</article>'
        )
    name = escape(author.name)
    handle = escape(author.username)
    local = post.created_at.astimezone(event.tz)
    zone = escape(event.timezone)
    badges = ""
    if post.official:
        badges += (
            '<span class="badge badge--official" title="Posted by the event\'s organisers or '
            'facilitators">Official</span>\n'
        )
    if post.tweet_seat:
        badges += (
            '<span class="badge badge--seat" title="Live-posting from a reserved Tweet Seat">'
            "Tweet Seat</span>\n"
        )
    if post.affiliation:
        badges += f'<span class="post__affiliation">{escape(post.affiliation)}</span>\n'
    source = ""
    if post.article_id:
        article = post.article
        assert article is not None
        source = (
            '<p class="post__source"><span class="badge badge--article">From the blog</span> '
            f'A comment on <a href="{_route("article", "slug").format(article.slug)}">'
            f"{escape(article.title)}</a></p>\n"
        )
    disclaimer = (
        f'<p class="post__disclaimer">{escape(post.disclaimer)}</p>\n' if post.disclaimer else ""
    )
    token = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        if csrf_token
        else ""
    )
    share = (
        f'<a class="action" href="{_route("share_post", "int").format(pk)}" '
        'data-action="share">Share<span class="visually-hidden"> this post</span></a>\n'
        if event.is_public
        else ""
    )
    return mark_safe(  # noqa: S308 - every value from the database is escaped above
        f"{head}{avatar_html(author, link=True)}\n"
        '<div class="post__main">\n'
        '<header class="post__header">\n'
        f'<a class="post__author" href="{escape(profile_url(author))}">'
        f'<span class="post__name">{name}</span> <span class="post__handle">@{handle}</span></a>\n'
        f"{badges}"
        f'<time class="post__time" datetime="{iso_moment(post.created_at)}" '
        f'title="{card_date(local)}, {local:%H:%M} {zone}">{local:%H:%M}</time>\n'
        "</header>\n"
        f'<div class="post__body" dir="auto">{post.body_html}</div>\n'
        f"{source}{disclaimer}"
        '<div class="post__actions">\n'
        f'<form method="post" action="{_route("like_post", "int").format(pk)}" '
        f'data-action="like">{token}<input type="hidden" name="on" '
        f'value="{"0" if liked else "1"}"><button type="submit" class="action action--like" '
        f'aria-pressed="{"true" if liked else "false"}"><span aria-hidden="true">♥</span> '
        f'<span class="action__count">{post.like_count}</span><span class="visually-hidden"> '
        f"likes. Like the post by {name}</span></button></form>\n"
        f'<a class="action" href="?reply_to={pk}#composer" data-action="reply">Reply'
        f'<span class="visually-hidden"> to {name}</span></a>\n'
        f"{share}"
        f'<a class="action action--report" href="{_route("report_post", "int").format(pk)}" '
        'data-action="report" rel="nofollow">Report<span class="visually-hidden"> this post by '
        f"{name}</span></a>\n"
        '<a class="action action--moderate" '
        f'href="{_route("moderate_post", "slug", "int").format(event.slug, pk)}" '
        'data-action="moderate" hidden>Moderate<span class="visually-hidden"> this post</span>'
        "</a>\n"
        f'<form method="post" action="{_route("delete_post", "int").format(pk)}" '
        f'data-action="delete"{"" if deletable else " hidden"}>{token}<button type="submit" '
        'class="action action--delete">Delete<span class="visually-hidden"> this post</span>'
        "</button></form>\n"
        "</div>\n</div>\n</article>"
    )


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
