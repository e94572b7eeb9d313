"""The archive pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backchannel.errors import NotFound
from backchannel.events import queries as event_queries

from . import queries, search


def session_archive(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """A session's permanent page: readable by whoever may read the event, fast (a handful of
    queries, cached by browsers for a minute), with the recording when there is one."""
    session = event_queries.get_session_for(request.user, session_id)
    if session.event.slug != slug:
        raise NotFound("No such session.")
    after = request.GET.get("after", "")
    archive = queries.session_archive(
        session, after=int(after) if after.isdigit() and len(after) < 19 else None
    )
    response = render(
        request,
        "archive/session.html",
        {"event": session.event, "session": session, "archive": archive},
    )
    if session.event.is_public and not request.user.is_authenticated:
        response["Cache-Control"] = "public, max-age=60"
    return response


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def search_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Search an event's posts and questions, with filters by session, hashtag, person and
    date. Hashtag pages (`/e/<slug>/tags/<tag>/`) are this search with one filter."""
    event = event_queries.get_event_for(request.user, slug)
    get = request.GET
    text = get.get("q", "")[:200]
    session = get.get("session", "")
    filters = search.Filters(
        session_id=int(session) if session.isdigit() and len(session) < 19 else None,
        hashtag=get.get("tag", "")[:50],
        person=get.get("person", "")[:31],
        since=_date(get.get("from", "")),
        until=_date(get.get("to", "")),
    )
    results = search.search(event, text, filters)
    sessions = [event_queries.lobby_of(event), *event_queries.scheduled_sessions(event)]
    return render(
        request,
        "archive/search.html",
        {
            "event": event,
            "results": results,
            "searched": bool(search.terms(text)) or filters.any,
            "filters": filters,
            "q": text,
            "sessions": sessions,
        },
    )
