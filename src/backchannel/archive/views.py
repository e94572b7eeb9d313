"""The archive pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backchannel.errors import NotFound
from backchannel.events import queries as event_queries

from . import queries


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
