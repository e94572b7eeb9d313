"""Around every page and API request: the address rate limits count against, a calm 503 while
the database is away, and an ActionError escaping a page view as its error page (403, 404,
400)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.messages.middleware import MessageMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

from backchannel import ratelimits
from backchannel.errors import RETRY_AFTER_SECONDS, ActionError, NotFound, RateLimited
from backchannel.events import queries as event_queries
from backchannel.web.error_pages import error_page
from backchannel.web.pages import events as event_pages

log = logging.getLogger(__name__)


class RequestAddressMiddleware:
    """Actions count rate limits against the address the request comes from
    (ratelimits.py); outside a request there is none, and nothing is limited."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with ratelimits.counting_from(ratelimits.client_ip(request)):
            return self.get_response(request)


class PageMessagesMiddleware(MessageMiddleware):
    """Django's messages (the note a page shows after a form), for pages: the API never adds
    or shows one, and making their storage for each API request was a hundredth of a post's
    instructions (issue #17). Without the storage, Django's process_response does nothing."""

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith("/api/"):
            super().process_request(request)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable (restarting, failing over) people get a calm 503 with
    Retry-After, not a 500: nothing was written, and trying again shortly will work."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable: %s", exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": "The service is briefly unavailable. Try again shortly.",
                    "code": "unavailable",
                },
                status=503,
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return error_page(request, 503, retry_after=RETRY_AFTER_SECONDS)


class ActionErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ActionError):
            return None
        if isinstance(exception, NotFound) and (gate := _join_code_gate(request)) is not None:
            return gate
        retry_after = exception.retry_after if isinstance(exception, RateLimited) else None
        return error_page(request, exception.status, exception.message, retry_after)


def _join_code_gate(request: HttpRequest) -> HttpResponse | None:
    """Any page of a join-code event (`/e/<slug>/.../`) that someone may not read yet shows the
    join form (403), then leads back: a QR code on the wall or a shared link then works for
    newcomers instead of saying "not found". Feeds and exports (`feed.rss`, `export.json`)
    stay 404: a feed reader cannot join."""
    match = request.resolver_match
    path = request.path
    if request.method != "GET" or match is None:
        return None
    if not (path.startswith("/e/") and path.endswith("/")):
        return None
    event = event_queries.gated_event(request.user, match.kwargs.get("slug", ""))
    return event_pages.join_code_page(request, event) if event is not None else None
