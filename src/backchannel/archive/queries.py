"""Reads for a session's permanent archive: the whole conversation in reading order, the
answered questions, the poll results and the live coverage. Only what was published, never
what a facilitator hid or removed, nor what its author deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backchannel.events.models import Session
from backchannel.feed.models import Post
from backchannel.feed.queries import PUBLISHED, Thread, with_articles
from backchannel.qa.models import Poll, Question
from backchannel.qa.polls import Results, results

# An archive shows this many threads per page (a plenary can have thousands of posts).
THREADS_PER_PAGE = 200


@dataclass
class SessionArchive:
    session: Session
    threads: list[Thread]
    coverage: list[Post]
    answered: list[Question]
    polls: list[Results] = field(default_factory=list)
    post_count: int = 0
    next_after: int | None = None  # the next page starts after this top post


def session_archive(session: Session, *, after: int | None = None) -> SessionArchive:
    """Oldest first, as the conversation happened; replies under their top post. Three
    queries for the posts whatever their number (roots, replies, coverage)."""
    roots_qs = (
        Post.objects.filter(PUBLISHED, session=session, thread_root=None, coverage=False)
        .select_related("author", "session__event")
        .order_by("id")
    )
    if after is not None:
        roots_qs = roots_qs.filter(pk__gt=after)
    roots = list(roots_qs[: THREADS_PER_PAGE + 1])
    more = len(roots) > THREADS_PER_PAGE
    roots = roots[:THREADS_PER_PAGE]
    by_id = {root.pk: Thread(root) for root in roots}
    if by_id:
        for reply in (
            Post.objects.filter(PUBLISHED, thread_root__in=by_id.keys())
            .select_related("author", "session__event")
            .order_by("id")
        ):
            by_id[reply.thread_root_id].replies.append(reply)  # type: ignore[index]
    with_articles([*roots, *(r for t in by_id.values() for r in t.replies)])
    coverage = list(
        Post.objects.filter(PUBLISHED, session=session, coverage=True)
        .select_related("author", "session__event")
        .order_by("id")
    )
    answered = list(
        Question.objects.filter(session=session, status=Question.Status.ANSWERED)
        .select_related("author")
        .order_by("-vote_count", "id")
    )
    polls = [
        results(poll)
        for poll in Poll.objects.filter(session=session, status=Poll.Status.CLOSED).order_by("id")
    ]
    return SessionArchive(
        session=session,
        threads=[by_id[r.pk] for r in roots],
        coverage=coverage,
        answered=answered,
        polls=polls,
        post_count=Post.objects.filter(PUBLISHED, session=session).count(),
        next_after=roots[-1].pk if more else None,
    )


def archive_summary(session: Session) -> dict[str, Any]:
    """Counts for the event page's list of archives."""
    return {
        "posts": Post.objects.filter(PUBLISHED, session=session).count(),
        "answered": Question.objects.filter(
            session=session, status=Question.Status.ANSWERED
        ).count(),
    }
