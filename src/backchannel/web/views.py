"""Pages that belong to no single domain: home, about, and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backchannel.events import queries as event_queries
from backchannel.web.error_pages import error_page


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "events": event_queries.listed_events()[:20],
            "my_events": event_queries.events_of(request.user)[:20],
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html")


def guide(request: HttpRequest) -> HttpResponse:
    """How to write a good post, and to think before posting."""
    return render(request, "web/guide.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)
