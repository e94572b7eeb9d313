"""Turns an ActionError escaping a page view into the matching error page (403, 404, 400)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backchannel.errors import ActionError

TITLES = {400: "That did not work", 403: "Not allowed", 404: "Not found", 409: "Conflict"}


class ActionErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ActionError):
            return None
        return render(
            request,
            "web/error.html",
            {"title": TITLES.get(exception.status, "Error"), "message": exception.message},
            status=exception.status,
        )
