"""Pages that belong to no single domain: home, about, and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backchannel.events import queries as event_queries


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


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, "That request could not be understood", "Please go back and try again."
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "Not allowed", "You do not have access to this page.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "Page not found", "There is nothing at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request, 500, "Something went wrong", "We have been told. Please try again in a moment."
    )
