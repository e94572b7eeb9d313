"""After the event: search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from backchannel.archive import search
from backchannel.events.queries import get_event_for
from backchannel.feed.presenters import post_data

from .auth import viewer
from .schemas import MAX_ID, Error, PostOut

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


@router.get("/events/{slug}/search", response={200: SearchOut, 404: Error})
def search_event(request: HttpRequest, slug: str, params: Query[SearchParams]) -> Any:
    """Full-text search of the event's published posts and open or answered questions,
    newest first. Give words, filters, or both."""
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
