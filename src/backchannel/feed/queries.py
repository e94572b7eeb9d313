"""Reads of feeds used by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

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


def _with_authors(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("author", "session__event")


def visible_roots(session: Session) -> QuerySet[Post]:
    """Top posts of a feed: deleted ones stay (as a placeholder) only while they have replies."""
    has_replies = Post.objects.filter(thread_root=OuterRef("pk"), deleted_at=None)
    return (
        Post.objects.filter(session=session, thread_root__isnull=True)
        .filter(Q(deleted_at=None) | Exists(has_replies))
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
            Post.objects.filter(thread_root__in=by_id.keys(), deleted_at=None).order_by("id")
        )
        for reply in replies:
            by_id[reply.thread_root_id].replies.append(reply)  # type: ignore[index]
    return [by_id[root.pk] for root in roots]


def posts(session: Session, *, before: int | None = None, limit: int = PAGE_SIZE) -> list[Post]:
    """All live posts of a feed (replies included), newest first: the API's list."""
    qs = Post.objects.filter(session=session, deleted_at=None).order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(_with_authors(qs)[: max(1, min(limit, MAX_PAGE_SIZE))])


def get_post_for(user: Any, post_id: int) -> Post:
    post = _with_authors(Post.objects.filter(pk=post_id)).first()
    if post is None or not event_permissions.can_view_event(user, post.session.event):
        raise NotFound("No such post.")
    return post


def liked_by(user: Any, post_ids: list[int]) -> set[int]:
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
                session__event=event, hashtags__name=tag.lower(), deleted_at=None
            ).order_by("-id")
        )[:limit]
    )


def posts_by(author: Any, viewer: Any, *, limit: int = 30) -> list[Post]:
    """An author's recent posts in the events the viewer may see."""
    qs = _with_authors(Post.objects.filter(author=author, deleted_at=None).order_by("-id"))
    visible = Q(session__event__access=Event.Access.PUBLIC)
    if viewer.is_authenticated:
        visible |= Q(session__event__registrations__user=viewer)
    return list(qs.filter(visible).distinct()[:limit])
