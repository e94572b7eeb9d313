"""Writing a post from a form, without JavaScript: the feed's composer and an article's
comments answer the same way. The caution check's prompt and a rate limit come back on the
page with the draft kept; anything else is said as a message; crisis resources travel across
the redirect (web/crisis.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from backchannel.errors import ActionError, CautionNeeded, RateLimited
from backchannel.feed.actions import PostResult
from backchannel.web import crisis as web_crisis
from backchannel.web.caution import passages


class Page(Protocol):
    """The page the form is on, drawn again with the draft (and what the check found)."""

    def __call__(
        self,
        *,
        draft: str,
        caution: list[dict[str, Any]] | None = None,
        crisis: dict[str, Any] | None = None,
        status: int,
    ) -> HttpResponse: ...


def post_from_form(
    request: HttpRequest,
    write: Callable[[], PostResult],
    *,
    page: Page,
    back: str,
    posted: Callable[[PostResult], str],
    held: str,
) -> HttpResponse:
    """Run `write` (one action) and answer: the page again for a caution prompt (409) or a
    rate limit (429, with Retry-After); otherwise a redirect, to `back` with a message when it
    failed or waits for a facilitator (`held` says so), to `posted(result)` when it is out."""
    body = request.POST.get("body", "")
    try:
        result = write()
    except CautionNeeded as exc:
        # The draft kept and what the check found, to edit or confirm.
        caution = passages(body, exc.findings)
        return page(draft=body, caution=caution, crisis=exc.crisis_support, status=409)
    except RateLimited as exc:
        # Too fast (or slow mode): the draft kept, and when to try again.
        messages.error(request, exc.message)
        response = page(draft=body, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    web_crisis.remember(request, result.crisis_support)
    if result.held:
        messages.info(request, held)
        return redirect(back)
    return redirect(posted(result))
