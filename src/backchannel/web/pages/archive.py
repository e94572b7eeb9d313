"""The archive pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from backchannel.archive import analytics, calendar, exports, permissions, queries, search
from backchannel.errors import NotAllowed, NotFound
from backchannel.events import queries as event_queries
from backchannel.spreadsheet import csv_text
from backchannel.text import whole_number


def session_archive(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """A session's permanent page: readable by whoever may read the event, fast (a handful of
    queries, cached by browsers for a minute), with the recording when there is one."""
    session = event_queries.get_session_for(request.user, session_id)
    if session.event.slug != slug:
        raise NotFound("No such session.")
    after = request.GET.get("after", "")
    archive = queries.session_archive(session, after=whole_number(after))
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
        session_id=whole_number(session),
        hashtag=get.get("tag", "")[:50],
        person=get.get("person", "")[:31],
        since=_date(get.get("from", "")),
        until=_date(get.get("to", "")),
    )
    searched = bool(search.terms(text)) or filters.any
    results = search.search(event, text, filters, searcher=request.user)
    sessions = [event_queries.lobby_of(event), *event_queries.scheduled_sessions(event)]
    return render(
        request,
        "archive/search.html",
        {
            "event": event,
            "results": results,
            "searched": searched,
            "filters": filters,
            "q": text,
            "sessions": sessions,
        },
    )


# --- Exports, feeds, calendar ---------------------------------------------------------------


def _exportable(request: HttpRequest, slug: str) -> Any:
    event = event_queries.get_event_for(request.user, slug)
    if not permissions.can_export(request.user, event):
        raise NotAllowed("Exports are for the event's organisers.")
    return event


@login_required
def exports_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _exportable(request, slug)
    sessions = [event_queries.lobby_of(event), *event_queries.scheduled_sessions(event)]
    return render(request, "archive/exports.html", {"event": event, "sessions": sessions})


@login_required
def export_event(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = _exportable(request, slug)
    return exports.download(request, exports.event_document(event), fmt, f"{event.slug}-archive")


@login_required
def export_session(request: HttpRequest, slug: str, session_id: int, fmt: str) -> HttpResponse:
    event = _exportable(request, slug)
    session = event_queries.get_session_for(request.user, session_id)
    if session.event_id != event.pk:
        raise NotFound("No such session.")
    name = f"{event.slug}-session-{session.pk}"
    return exports.download(request, exports.session_document(session), fmt, name)


def schedule_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_queries.get_event_for(request.user, slug)
    base = request.build_absolute_uri("/").rstrip("/")
    body = calendar.schedule_ics(event, request.get_host().split(":")[0], base)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{event.slug}.ics"'
    return response


# --- Analytics ------------------------------------------------------------------------------


def _analysable(request: HttpRequest, slug: str, session_id: int | None = None) -> Any:
    """The event (and session) whose dashboard this is, for its organisers only."""
    event = event_queries.get_event_for(request.user, slug)
    if not permissions.can_view_analytics(request.user, event):
        raise NotAllowed("The analytics are for the event's organisers.")
    if session_id is None:
        return event, None
    session = event_queries.get_session_for(request.user, session_id)
    if session.event_id != event.pk:
        raise NotFound("No such session.")
    return event, session


def _dashboard(request: HttpRequest, event: Any, session: Any) -> HttpResponse:
    report = analytics.session_report(session) if session else analytics.event_report(event)
    sessions = [event_queries.lobby_of(event), *event_queries.scheduled_sessions(event)]
    response = render(
        request,
        "archive/analytics.html",
        {
            "event": event,
            "session": session,
            "report": report,
            "data": report.as_dict(),
            "timeline_rows": zip(
                report.timeline.labels,
                report.timeline.posts,
                report.timeline.questions,
                report.timeline.viewers,
                strict=True,
            ),
            "sessions": sessions,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def event_analytics(request: HttpRequest, slug: str) -> HttpResponse:
    event, _ = _analysable(request, slug)
    chosen = request.GET.get("session", "")
    chosen_id = whole_number(chosen)
    if chosen_id is not None:  # the "Dashboard of" picker
        _, session = _analysable(request, slug, chosen_id)
        return redirect("session_analytics", slug, session.pk)
    return _dashboard(request, event, None)


@login_required
def session_analytics(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event, session = _analysable(request, slug, session_id)
    return _dashboard(request, event, session)


def _analytics_csv(report: analytics.Dashboard, name: str) -> HttpResponse:
    body = csv_text(analytics.CSV_HEADER, analytics.as_rows(report))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def event_analytics_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event, _ = _analysable(request, slug)
    return _analytics_csv(analytics.event_report(event), f"{event.slug}-analytics")


@login_required
def session_analytics_csv(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event, session = _analysable(request, slug, session_id)
    name = f"{event.slug}-session-{session.pk}-analytics"
    return _analytics_csv(analytics.session_report(session), name)
