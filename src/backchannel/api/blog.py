"""The blog: articles by events' organisers, and comments that join the linked feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from backchannel.blog import actions, comments, queries
from backchannel.blog.models import Article
from backchannel.events.queries import get_event_for

from .auth import SIGNED_IN, actor, viewer
from .feed import POSTING_ANSWERS, page_of_posts, posted
from .schemas import MAX_ID, CautionError, Error, Id, PostPage

router = Router(tags=["blog"])


class ArticleCard(Schema):
    id: int
    slug: str
    title: str
    summary: str
    url: str
    event: str = Field(description="The event's slug.")
    session_id: int | None
    author: str | None = Field(description="The author's handle.")
    tags: list[str]
    status: str = Field(description="draft or published")
    published_at: dt.datetime | None
    cover_url: str | None
    cover_alt: str


class ArticleOut(ArticleCard):
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="Rendered and sanitised.")
    comments_open: bool
    comments_feed: int = Field(
        description="The session whose feed comments join (its lobby when none is linked)."
    )
    comment_count: int


class ArticlePage(Schema):
    articles: list[ArticleCard]
    next_page: int | None


class ArticleIn(Schema):
    title: str = Field(..., max_length=1000)
    body: str = Field(..., max_length=actions.BODY_MAX_LENGTH * 4, description="Markdown.")
    summary: str = Field("", max_length=1000)
    tags: list[str] = Field(default_factory=list, max_length=50)
    session: int | None = Field(None, ge=1, le=MAX_ID, description="A session of the event.")
    comments_open: bool = True
    cover_alt: str = Field("", max_length=1000)
    publish: bool = Field(False, description="Publish now (else a draft).")
    confirm: bool = Field(
        False, description="Publish even though the caution check found something."
    )


class CommentIn(Schema):
    body: str = Field(..., max_length=10_000, description="At most 280 characters, as a post.")
    reply_to: Id | None = None
    client_id: str | None = Field(None, max_length=64)
    confirm: bool = False


class ListParams(Schema):
    tag: str = Field("", max_length=50)
    event: str = Field("", max_length=50, description="Only this event's articles (its slug).")
    page: int = Field(1, ge=1, le=10_000)


class CommentParams(Schema):
    before: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(20, ge=1, le=100)


def _card(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "url": reverse("article", args=[article.slug]),
        "event": article.event.slug,
        "session_id": article.session_id,
        "author": article.author.username if article.author else None,
        "tags": [t.name for t in article.tags.all()],
        "status": article.status,
        "published_at": article.published_at,
        "cover_url": reverse("article_cover", args=[article.slug, article.cover_version])
        if article.has_cover
        else None,
        "cover_alt": article.cover_alt,
    }


def _full(article: Article) -> dict[str, Any]:
    return {
        **_card(article),
        "body": article.body,
        "body_html": article.body_html,
        "comments_open": article.comments_open,
        "comments_feed": comments.comment_feed(article).pk,
        "comment_count": queries.comment_count(article),
    }


@router.get("/blog/articles", response={200: ArticlePage, 404: Error})
def list_articles(request: HttpRequest, params: Query[ListParams]) -> Any:
    """Published articles the reader may read, newest first, 12 a page."""
    user = viewer(request)
    event = get_event_for(user, params.event) if params.event else None
    qs = queries.published_articles(user, tag=params.tag, event=event)
    start = (params.page - 1) * queries.PAGE_SIZE
    page = list(qs[start : start + queries.PAGE_SIZE + 1])
    more = len(page) > queries.PAGE_SIZE
    return {
        "articles": [_card(a) for a in page[: queries.PAGE_SIZE]],
        "next_page": params.page + 1 if more else None,
    }


@router.get("/blog/articles/{article_slug}", response={200: ArticleOut, 404: Error})
def get_article(request: HttpRequest, article_slug: str) -> Any:
    """One article (drafts only for the event's organisers)."""
    return _full(queries.get_article_for(viewer(request), article_slug))


_WRITE = {200: ArticleOut, 201: ArticleOut, 400: Error, 403: Error, 404: Error}


@router.post(
    "/events/{slug}/articles",
    auth=SIGNED_IN,
    response={**_WRITE, 409: CautionError, 422: Error},
)
def create_article(request: HttpRequest, slug: str, payload: ArticleIn) -> Any:
    """Organisers: write an article for the event's blog, as a draft or published. Publishing
    runs the caution check over the whole text: 409 with the findings, then repeat with
    `confirm: true` to publish anyway. The cover image is uploaded on the article's page."""
    event = get_event_for(actor(request), slug)
    article = actions.create_article(actor(request), event, **payload.dict())
    return Status(201, _full(article))


@router.put(
    "/blog/articles/{article_slug}",
    auth=SIGNED_IN,
    response={**_WRITE, 409: CautionError, 422: Error},
)
def update_article(request: HttpRequest, article_slug: str, payload: ArticleIn) -> Any:
    """Organisers: replace the article's text and settings (its address stays once
    published); `publish: false` takes it back to a draft."""
    article = queries.get_article_for(actor(request), article_slug)
    actions.update_article(actor(request), article, **payload.dict())
    return _full(article)


@router.delete(
    "/blog/articles/{article_slug}", auth=SIGNED_IN, response={204: None, 403: Error, 404: Error}
)
def delete_article(request: HttpRequest, article_slug: str) -> Any:
    """Organisers: delete the article; its comments stay in the feed as posts."""
    article = queries.get_article_for(actor(request), article_slug)
    actions.delete_article(actor(request), article)
    return Status(204, None)


@router.get("/blog/articles/{article_slug}/comments", response={200: PostPage, 404: Error})
def list_comments(request: HttpRequest, article_slug: str, params: Query[CommentParams]) -> Any:
    """The article's comments, newest first (posts of the linked feed marked with `article`)."""
    user = viewer(request)
    article = queries.get_article_for(user, article_slug)
    page = queries.comments(article, before=params.before, limit=params.limit)
    return page_of_posts(user, page, params.limit)


@router.post("/blog/articles/{article_slug}/comments", auth=SIGNED_IN, response=POSTING_ANSWERS)
def add_comment(
    request: HttpRequest, response: HttpResponse, article_slug: str, payload: CommentIn
) -> Any:
    """Comment on an article. The comment is a post in the linked feed (see
    `comments_feed`) and answers as posting does: 201, 202 when held for a facilitator, 409
    with the caution check's findings (repeat with `confirm: true`), 429 with `Retry-After`,
    403 `comments_closed`, `read_only`, `not_a_member`, `conduct`, `muted`, `suspended`. A
    repeated `client_id` returns the first comment."""
    article = queries.get_article_for(actor(request), article_slug)
    result = actions.comment(
        actor(request),
        article,
        body=payload.body,
        reply_to=payload.reply_to,
        client_id=payload.client_id,
        confirm=payload.confirm,
    )
    return posted(request, response, result)
