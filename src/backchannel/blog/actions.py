"""Every write to the blog: articles by an event's organisers, their covers, and comments.

A comment is a post in the article's linked feed (feed.actions.create_post with `article`):
the caution check, pre-moderation, word filters, reports, the moderation queue, rate limits
and the live stream all apply to it as to any post, and it appears in that feed marked as
coming from the article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import regex
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from backchannel.accounts.models import User
from backchannel.care.check import MAX_TEXT
from backchannel.care.check import check as caution_check
from backchannel.care.findings import Finding
from backchannel.errors import CautionNeeded, Invalid, NotAllowed
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event, Session
from backchannel.feed.actions import PostResult, create_post
from backchannel.images import to_webp
from backchannel.richtext import render_markdown
from backchannel.text import clean_line, clean_text

from . import permissions
from .comments import comment_feed
from .models import Article, Tag

# Long enough for a long read (about 3,500 words), short enough for one request
# (MAX_REQUEST_BYTES).
BODY_MAX_LENGTH = 20_000
MAX_TAGS = 8
COVER_WIDTH = 1600
_TAG = regex.compile(r"^[\p{L}\p{N}_-]{1,50}\Z")


def _clean_tags(tags: Any) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = [t for t in regex.split(r"[,\s]+", tags) if t]
    if not isinstance(tags, list | tuple):
        raise Invalid("Tags are a list of words.", field="tags")
    names = []
    for tag in tags:
        name = str(tag).strip().lstrip("#").lower()
        if not _TAG.match(name):
            raise Invalid(
                "A tag is one word of letters, digits, - or _ (at most 50).", field="tags"
            )
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise Invalid(f"At most {MAX_TAGS} tags.", field="tags")
    return names


def _check_article(text: str) -> list[Finding]:
    """The caution check over the whole article, in parts the check takes, split at
    paragraphs, with the findings' places in the whole text."""
    findings: list[Finding] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_TEXT)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            end = cut if cut > start else end
        for finding in caution_check(text[start:end]):
            findings.append(replace(finding, start=finding.start + start, end=finding.end + start))
        start = end
    return findings


def _unique_slug(title: str, exclude: int | None = None) -> str:
    base = slugify(title)[:70].strip("-") or "article"
    others = Article.objects.all() if exclude is None else Article.objects.exclude(pk=exclude)
    slug, n = base, 1
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _linked_session(event: Event, session: Any) -> Session | None:
    if session in (None, ""):
        return None
    session_id = session.pk if isinstance(session, Session) else session
    try:
        return Session.objects.get(pk=int(session_id), event=event)
    except (Session.DoesNotExist, TypeError, ValueError):
        raise Invalid("Choose a session of this event.", field="session") from None


def _fill(
    article: Article,
    *,
    title: Any,
    body: Any,
    summary: Any,
    session: Any,
    comments_open: Any,
    cover_alt: Any,
) -> None:
    article.title = clean_line(title, field="title", max_length=200, required=True)
    article.body = clean_text(body, field="body", max_length=BODY_MAX_LENGTH, required=True)
    article.body_html = render_markdown(article.body)
    article.summary = clean_line(summary or "", field="summary", max_length=300)
    article.session = _linked_session(article.event, session)
    article.comments_open = bool(comments_open)
    article.cover_alt = clean_line(cover_alt or "", field="cover_alt", max_length=200)


def _publishing(article: Article, publish: bool, confirm: bool) -> None:
    """Publish (the caution check first, as for posts) or keep as a draft."""
    if not publish:
        article.status = Article.Status.DRAFT
        return
    findings = _check_article(f"{article.title}\n\n{article.summary}\n\n{article.body}")
    if not confirm and any(f.asks_to_confirm for f in findings):
        raise CautionNeeded(findings)
    article.status = Article.Status.PUBLISHED
    if article.published_at is None:
        article.published_at = timezone.now()


def _set_tags(article: Article, names: Iterable[str]) -> None:
    names = list(names)
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    article.tags.set(Tag.objects.filter(name__in=names))


def create_article(
    actor: User,
    event: Event,
    *,
    title: Any,
    body: Any,
    summary: Any = "",
    tags: Any = None,
    session: Any = None,
    comments_open: Any = True,
    cover_alt: Any = "",
    publish: bool = False,
    confirm: bool = False,
) -> Article:
    """A new article of the event's blog, as a draft or published at once."""
    if not permissions.can_write_article(actor, event):
        raise NotAllowed("Articles are written by the event's organisers.")
    article = Article(event=event, author=actor)
    _fill(
        article,
        title=title,
        body=body,
        summary=summary,
        session=session,
        comments_open=comments_open,
        cover_alt=cover_alt,
    )
    names = _clean_tags(tags)
    _publishing(article, publish, confirm)
    for _ in range(3):  # two organisers choosing the same title at once: the next number
        article.slug = _unique_slug(article.title)
        try:
            with transaction.atomic():
                article.save()
                _set_tags(article, names)
            return article
        except IntegrityError:
            article.pk = None
    raise Invalid("Choose another title.", field="title")


def update_article(
    actor: User,
    article: Article,
    *,
    title: Any,
    body: Any,
    summary: Any = "",
    tags: Any = None,
    session: Any = None,
    comments_open: Any = True,
    cover_alt: Any = "",
    publish: bool = False,
    confirm: bool = False,
) -> Article:
    """Change an article. Its address stays the same once published (links to it keep
    working); a draft's follows its title."""
    if not permissions.can_edit_article(actor, article):
        raise NotAllowed("Only the event's organisers can change its articles.")
    was_published = article.published_at is not None
    _fill(
        article,
        title=title,
        body=body,
        summary=summary,
        session=session,
        comments_open=comments_open,
        cover_alt=cover_alt,
    )
    names = _clean_tags(tags)
    _publishing(article, publish, confirm)
    with transaction.atomic():
        if not was_published:
            article.slug = _unique_slug(article.title, exclude=article.pk)
        article.save()
        _set_tags(article, names)
    return article


def delete_article(actor: User, article: Article) -> None:
    """Delete the article. Its comments stay in the feed as the posts they are, without the
    link to the article."""
    if not permissions.can_edit_article(actor, article):
        raise NotAllowed("Only the event's organisers can delete its articles.")
    article.delete()


def set_cover(actor: User, article: Article, data: bytes, alt: Any = None) -> Article:
    """Replace the cover with `data` (an image file), at most 1600 pixels wide, metadata gone."""
    if not permissions.can_edit_article(actor, article):
        raise NotAllowed("Only the event's organisers can change its articles.")
    image = to_webp(data, field="cover", max_width=COVER_WIDTH)
    fields: dict[str, Any] = {
        "cover": image,
        "has_cover": True,
        "cover_version": F("cover_version") + 1,
    }
    if alt is not None:
        fields["cover_alt"] = clean_line(alt, field="cover_alt", max_length=200)
    Article.objects.filter(pk=article.pk).update(**fields)
    article.refresh_from_db(fields=["has_cover", "cover_version", "cover_alt"])
    return article


def remove_cover(actor: User, article: Article) -> Article:
    if not permissions.can_edit_article(actor, article):
        raise NotAllowed("Only the event's organisers can change its articles.")
    Article.objects.filter(pk=article.pk).update(cover=None, has_cover=False)
    article.has_cover = False
    return article


def comment(
    actor: User,
    article: Article,
    *,
    body: Any,
    reply_to: int | None = None,
    client_id: Any = None,
    confirm: bool = False,
) -> PostResult:
    """Comment on an article: a post in its linked feed, marked as coming from the article.
    Everything a post meets applies (caution check, moderation, restrictions, the code of
    conduct, read-only events); `client_id` makes retries safe."""
    if not article.is_published:
        raise NotAllowed("Comments open when the article is published.", code="not_published")
    if not article.comments_open:
        raise NotAllowed("Comments on this article are closed.", code="comments_closed")
    feed = comment_feed(article)
    event_permissions.require_open(article.event)
    return create_post(
        actor,
        feed,
        body=body,
        reply_to=reply_to,
        client_id=client_id,
        confirm=confirm,
        article=article,
    )
