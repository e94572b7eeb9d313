"""Reads of the blog used by pages, feeds and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from backchannel.accounts.models import Reader
from backchannel.errors import NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event, Session
from backchannel.feed.models import Post
from backchannel.feed.queries import MAX_PAGE_SIZE, PUBLISHED

from . import permissions
from .models import Article

PAGE_SIZE = 12

# What lists and cards do not need: the text and the cover image itself.
_HEAVY = ("body", "body_html", "cover")


def _readable_events(user: Reader) -> Q:
    """Articles whose event the user may read (the events' one rule: readable_events)."""
    if getattr(user, "is_staff", False):
        return Q()
    # A subquery, not a join: a join repeats each article once per registration.
    return Q(event__in=event_permissions.readable_events(user).values("pk"))


def published_articles(
    user: Reader, *, tag: str = "", event: Event | None = None
) -> QuerySet[Article]:
    """Published articles the user may read, newest first."""
    qs = Article.objects.filter(_readable_events(user), status=Article.Status.PUBLISHED)
    if tag:
        qs = qs.filter(tags__name=tag.lower())
    if event is not None:
        qs = qs.filter(event=event)
    return (
        qs.defer(*_HEAVY)
        .select_related("author", "event")
        .prefetch_related("tags")
        .order_by("-published_at", "-id")
    )


def drafts_of(event: Event) -> QuerySet[Article]:
    return (
        Article.objects.filter(event=event, status=Article.Status.DRAFT)
        .defer(*_HEAVY)
        .order_by("-created_at")
    )


def get_article_for(user: Reader, slug: str) -> Article:
    """The article (with its event, session and author), or NotFound when the user may not
    read it (drafts are for the event's organisers)."""
    article = (
        Article.objects.defer("cover")
        .select_related("event", "session", "author")
        .filter(slug=slug)
        .first()
    )
    if article is None or not permissions.can_read_article(user, article):
        raise NotFound("No such article.")
    return article


def cover_of(user: Reader, slug: str) -> bytes | None:
    article = get_article_for(user, slug)
    if not article.has_cover:
        return None
    cover = Article.objects.filter(pk=article.pk).values_list("cover", flat=True).first()
    return bytes(cover) if cover else None


@dataclass
class Neighbours:
    newer: Article | None
    older: Article | None
    related: list[Article]


def neighbours(user: Reader, article: Article) -> Neighbours:
    """ "Explore more posts": the next newer and older articles, and up to three more that share
    a tag (or the event, when none do)."""
    if not article.is_published or article.published_at is None:
        return Neighbours(None, None, [])
    readable = published_articles(user).exclude(pk=article.pk)
    newer = readable.filter(published_at__gt=article.published_at).order_by("published_at", "id")
    older = readable.filter(published_at__lte=article.published_at).order_by("-published_at", "-id")
    newer_one, older_one = newer.first(), older.first()
    shown = {a.pk for a in (newer_one, older_one) if a is not None}
    tags = [t.name for t in article.tags.all()]
    related_qs = readable.exclude(pk__in=shown)
    related = list(related_qs.filter(tags__name__in=tags)[:3]) if tags else []
    if len(related) < 3:
        more = related_qs.filter(event=article.event).exclude(pk__in=[a.pk for a in related])
        related += list(more[: 3 - len(related)])
    return Neighbours(newer_one, older_one, related)


def comment_count(article: Article) -> int:
    return article.comments.filter(PUBLISHED).count()


def comments(article: Article, *, before: int | None = None, limit: int = 20) -> list[Any]:
    """The article's published comments, newest first (they are posts: feed/models.py)."""
    qs = (
        Post.objects.filter(PUBLISHED, article=article)
        .select_related("author", "session__event", "article")
        .order_by("-id")
    )
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(
        qs.defer("article__body", "article__body_html", "article__cover")[
            : max(1, min(limit, MAX_PAGE_SIZE))
        ]
    )


def articles_about(session: Session) -> list[Article]:
    """Published articles whose comments join this feed (titles for the session page)."""
    if session.is_lobby:
        qs = Article.objects.filter(event_id=session.event_id, session=None)
    else:
        qs = Article.objects.filter(session=session)
    return list(
        qs.filter(status=Article.Status.PUBLISHED)
        .only("slug", "title")
        .order_by("-published_at")[:5]
    )
