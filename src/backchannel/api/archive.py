"""After the event: search, exports and analytics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from backchannel.archive import analytics, exports, permissions, search
from backchannel.errors import NotAllowed
from backchannel.events.queries import get_event_for, get_session_for
from backchannel.feed.presenters import post_data

from .auth import SIGNED_IN, viewer
from .schemas import MAX_ID, Error, Id, PostOut

router = Router(tags=["archive"])


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="Words, all of which must be there.")
    session: int | None = Field(None, ge=1, le=MAX_ID)
    tag: str = Field("", max_length=50)
    person: str = Field("", max_length=31, description="A handle.")
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = Field(50, ge=1, le=search.MAX_RESULTS)


class FoundQuestion(Schema):
    id: int
    session_id: int
    body: str
    status: str
    votes: int
    author: str | None = Field(description="None when asked anonymously.")
    created_at: str


class SearchOut(Schema):
    posts: list[PostOut]
    questions: list[FoundQuestion]


@router.get("/events/{slug}/search", response={200: SearchOut, 404: Error, 429: Error})
def search_event(request: HttpRequest, slug: str, params: Query[SearchParams]) -> Any:
    """Full-text search of the event's published posts and open or answered questions,
    newest first. Give words, filters, or both. Limited per person and address (429)."""
    event = get_event_for(viewer(request), slug)
    found = search.search(
        event,
        params.q,
        search.Filters(
            session_id=params.session,
            hashtag=params.tag,
            person=params.person,
            since=params.since,
            until=params.until,
        ),
        searcher=viewer(request),
        limit=params.limit,
    )
    return {
        "posts": [{**post_data(p, with_html=False), "liked": False} for p in found.posts],
        "questions": [
            {
                "id": q.pk,
                "session_id": q.session_id,
                "body": q.body,
                "status": q.status,
                "votes": q.vote_count,
                "author": None if q.anonymous else q.author.username,
                "created_at": q.created_at.isoformat(),
            }
            for q in found.questions
        ],
    }


def _exportable(request: HttpRequest, slug: str) -> Any:
    event = get_event_for(viewer(request), slug)
    if not permissions.can_export(viewer(request), event):
        raise NotAllowed("Exports are for the event's organisers.")
    return event


@router.get(
    "/events/{slug}/export",
    auth=SIGNED_IN,
    response={200: None, 403: Error, 404: Error},
)
def export_event(request: HttpRequest, slug: str, format: str = "json") -> Any:
    """Organisers: the whole event's conversation as json, csv, md (Markdown) or html (a
    printable transcript). JSON follows the schema in docs/archive.md."""
    event = _exportable(request, slug)
    document = exports.event_document(event)
    return exports.download(request, document, format, f"{event.slug}-archive")


@router.get(
    "/sessions/{session_id}/export",
    auth=SIGNED_IN,
    response={200: None, 403: Error, 404: Error},
)
def export_session(request: HttpRequest, session_id: Id, format: str = "json") -> Any:
    """Organisers: one session's conversation as json, csv, md or html."""
    session = get_session_for(viewer(request), session_id)
    _exportable(request, session.event.slug)
    name = f"{session.event.slug}-session-{session.pk}"
    return exports.download(request, exports.session_document(session), format, name)


def _analysable(request: HttpRequest, slug: str) -> Any:
    event = get_event_for(viewer(request), slug)
    if not permissions.can_view_analytics(viewer(request), event):
        raise NotAllowed("The analytics are for the event's organisers.")
    return event


@router.get(
    "/events/{slug}/analytics",
    auth=SIGNED_IN,
    response={200: dict[str, Any], 403: Error, 404: Error},
)
def event_analytics(request: HttpRequest, slug: str) -> Any:
    """Organisers: the event's numbers (totals, activity over time, hashtags, the most active
    people as they chose to be named, questions, polls, reach, moderation, per session), the
    same as its dashboard. Documented in docs/archive.md."""
    return analytics.event_report(_analysable(request, slug)).as_dict()


@router.get(
    "/sessions/{session_id}/analytics",
    auth=SIGNED_IN,
    response={200: dict[str, Any], 403: Error, 404: Error},
)
def session_analytics(request: HttpRequest, session_id: Id) -> Any:
    """Organisers: one session's numbers, the same as its dashboard."""
    session = get_session_for(viewer(request), session_id)
    _analysable(request, session.event.slug)
    return analytics.session_report(session).as_dict()
