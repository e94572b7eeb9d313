"""Reads of feeds used by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from backchannel.accounts.models import Follow, Reader, User
from backchannel.db import plain
from backchannel.errors import NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event, Session

from .models import Post, Reaction

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class Thread:
    root: Post
    replies: list[Post] = field(default_factory=list)


# --- The hot write's reads (create_post), in plain SQL (db/plain.py): the ORM's building of each
# statement cost several times the database's answer, on every post.


@cache
def _reply_parent_sql() -> str:
    q = plain.quote
    return (
        f"SELECT {plain.columns(Post, 'p').sql}, {plain.columns(User, 'u').sql} "  # noqa: S608
        f"FROM {plain.table(Post)} p "
        f"JOIN {plain.table(User)} u ON u.{q('id')} = p.{q('author_id')} "
        f"WHERE p.{q('id')} = %s AND p.{q('session_id')} = %s "
        f"AND p.{q('deleted_at')} IS NULL AND p.{q('status')} = %s"
    )


def reply_parent(session: Session, post_id: int) -> Post | None:
    """The published post of this session a reply may answer (with its author), or None."""
    row = plain.fetch_one(_reply_parent_sql(), [post_id, session.pk, Post.Status.PUBLISHED])
    if row is None:
        return None
    posts = plain.columns(Post, "p")
    parent = posts.instance(row)
    parent.author = plain.columns(User, "u").instance(row, posts.width)
    return parent


def people_by_handle(handles: set[str]) -> list[User]:
    """The people these (lower-case) handles name, in handle order: whom a post mentions."""
    if not handles:
        return []
    q = plain.quote
    marks = ", ".join(["%s"] * len(handles))
    sql = (
        f"SELECT {plain.columns(User, 'u').sql} FROM {plain.table(User)} u "  # noqa: S608
        f"WHERE LOWER(u.{q('username')}) IN ({marks}) ORDER BY u.{q('username')}"
    )
    users = plain.columns(User, "u")
    return [users.instance(row) for row in plain.fetch_all(sql, sorted(handles))]


def _article_model() -> Any:
    return Post._meta.get_field("article").related_model


def with_articles(posts: list[Post]) -> list[Post]:
    """Give the posts that comment on a blog article its title and address, in one query, and
    none when no post does (a join or a prefetch on every feed read cost 10-15% of it)."""
    ids = {post.article_id for post in posts if post.article_id is not None}
    if ids:
        # The blog sits above the feed: its articles are reached through the post's own
        # foreign key (a string reference in models.py), never by importing the blog.
        articles = _article_model().objects.only("id", "title", "slug").in_bulk(ids)
        for post in posts:
            if post.article_id is not None:
                post.article = articles.get(post.article_id)
    return posts


def _with_authors(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("author", "session__event")


PUBLISHED = Q(deleted_at=None, status=Post.Status.PUBLISHED)


def visible_roots(session: Session) -> QuerySet[Post]:
    """Top posts of a feed: published ones, and deleted or hidden ones (as a placeholder) only
    while they have published replies. Held posts are not shown until approved."""
    has_replies = Post.objects.filter(PUBLISHED, thread_root=OuterRef("pk"))
    return (
        Post.objects.filter(session=session, thread_root__isnull=True, coverage=False)
        .exclude(status=Post.Status.HELD)
        .filter(PUBLISHED | Exists(has_replies))
        .order_by("-id")
    )


def threads(session: Session, *, before: int | None = None, limit: int = PAGE_SIZE) -> list[Thread]:
    """A page of threads, newest first; replies oldest first under their top post."""
    roots_qs = visible_roots(session)
    if before is not None:
        roots_qs = roots_qs.filter(id__lt=before)
    roots = list(_with_authors(roots_qs)[:limit])
    by_id = {root.pk: Thread(root) for root in roots}
    if by_id:
        replies = _with_authors(
            Post.objects.filter(PUBLISHED, thread_root__in=by_id.keys()).order_by("id")
        )
        for reply in replies:
            by_id[reply.thread_root_id].replies.append(reply)  # type: ignore[index]
    with_articles([*roots, *(r for t in by_id.values() for r in t.replies)])
    return [by_id[root.pk] for root in roots]


def coverage(session: Session, *, limit: int = 50) -> list[Post]:
    """The session's live coverage, newest first."""
    return with_articles(
        list(
            _with_authors(Post.objects.filter(PUBLISHED, session=session, coverage=True)).order_by(
                "-id"
            )[:limit]
        )
    )


def posts(session: Session, *, before: int | None = None, limit: int = PAGE_SIZE) -> list[Post]:
    """All live posts of a feed (replies included), newest first: the API's list."""
    qs = Post.objects.filter(PUBLISHED, session=session).order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    return with_articles(list(_with_authors(qs)[: max(1, min(limit, MAX_PAGE_SIZE))]))


def get_post_for(user: Reader, post_id: int) -> Post:
    """A post the user may see: published ones to readers of the event; held, hidden and
    removed ones only to their author and the event's facilitators."""
    post = _with_authors(Post.objects.filter(pk=post_id)).first()
    if post is None or not event_permissions.can_view_event(user, post.session.event):
        raise NotFound("No such post.")
    if post.status != Post.Status.PUBLISHED and not (
        (user.is_authenticated and post.author_id == user.pk)
        or event_permissions.can_moderate_event(user, post.session.event)
    ):
        raise NotFound("No such post.")
    return post


def liked_by(user: Reader, post_ids: list[int]) -> set[int]:
    if not user.is_authenticated or not post_ids:
        return set()
    return set(
        Reaction.objects.filter(
            user=user, post_id__in=post_ids, kind=Reaction.Kind.LIKE
        ).values_list("post_id", flat=True)
    )


def tagged(event: Event, tag: str, *, limit: int = 50) -> list[Post]:
    return list(
        _with_authors(
            Post.objects.filter(
                PUBLISHED, session__event=event, hashtags__name=tag.lower()
            ).order_by("-id")
        )[:limit]
    )


def posts_by(author: User, viewer: Reader, *, limit: int = 30) -> list[Post]:
    """An author's recent posts in the events the viewer may see."""
    qs = _with_authors(Post.objects.filter(PUBLISHED, author=author).order_by("-id"))
    readable = event_permissions.readable_events(viewer).values("pk")
    return list(qs.filter(session__event__in=readable)[:limit])


def by_followed(
    event: Event, viewer: User, *, before: int | None = None, limit: int = 50
) -> list[Post]:
    """The viewer's "following" view of an event: posts by people they follow, across all the
    event's sessions, newest first."""

    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    qs = Post.objects.filter(
        PUBLISHED, session__event=event, author_id__in=followed, coverage=False
    )
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(_with_authors(qs.order_by("-id"))[: max(1, min(limit, MAX_PAGE_SIZE))])
