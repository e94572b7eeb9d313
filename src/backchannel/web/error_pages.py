"""The error pages (400, 403, 404, 409, 429, 500, 503): what happened and what to do next, in
plain words, never internals.

Every error page goes through `error_page`. While the database is away (503) or after a
failure (500), the page is drawn without the request's context processors: they read the
person's unread counts, which would fail again and leave Django's bare fallback page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse


@dataclass(frozen=True)
class Step:
    label: str
    href: str = ""


@dataclass(frozen=True)
class Copy:
    heading: str
    explanation: str


COPY = {
    400: Copy(
        "That did not work",
        "Something in the request was not what we expected. Go back, check what you entered "
        "and try again.",
    ),
    403: Copy(
        "You cannot open this page",
        "This page is only for some people: an event's organisers, its facilitators, or the "
        "people it belongs to.",
    ),
    404: Copy(
        "We cannot find that page",
        "The address may be mistyped, or what was here has been moved or removed.",
    ),
    409: Copy(
        "That changed while you were looking",
        "Someone else changed this at the same time. Reload the page to see it as it is now.",
    ),
    429: Copy(
        "Slow down a little",
        "You did that a lot in a short time. Nothing was lost: wait a moment, then try again.",
    ),
    500: Copy(
        "Something went wrong on our side",
        "It was not something you did, and we have a note of it. Please try again in a "
        "moment; if it keeps happening, tell the event's organisers.",
    ),
    503: Copy(
        "Back in a moment",
        "We cannot reach our database right now. Nothing was lost: please try again in a "
        "few seconds.",
    ),
}


def error_page(
    request: HttpRequest,
    status: int,
    detail: str = "",
    retry_after: int | None = None,
) -> HttpResponse:
    """The error page for `status`. `detail` says what exactly was missing or refused ("No
    such session."), shown above the general explanation."""
    copy = COPY.get(status, COPY[400])
    calm = status >= 500  # nothing on the page may touch the database
    user = None if calm else getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    context = {
        "status": status,
        "heading": copy.heading,
        "detail": detail if detail and detail.rstrip(".") != copy.heading else "",
        "explanation": copy.explanation,
        "retry_after": retry_after,
        "next_steps": _next_steps(request, status, signed_in),
    }
    html = render_to_string("web/error.html", context, request=None if calm else request)
    response = HttpResponse(html, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _next_steps(request: HttpRequest, status: int, signed_in: bool) -> list[Step]:
    home = Step("Go to the start page and find your event", reverse("home"))
    here = quote(request.get_full_path(), safe="/")
    if status == 403 and not signed_in:
        return [Step("Sign in, then you come back here", f"{reverse('login')}?next={here}"), home]
    if status == 403:
        return [Step("Ask the event's organisers if you think you should have access"), home]
    if status == 404:
        return [home, Step("Read how Backchannel works", reverse("about"))]
    if status in (409, 429, 500, 503):
        again = (
            Step("Try again", request.get_full_path())
            if request.method == "GET"
            else Step("Go back to the page and send it again")
        )
        return [again, home]
    return [Step("Go back and check what you entered"), home]
