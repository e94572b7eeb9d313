"""Crisis resources across a redirect, for writes sent without JavaScript: the post's answer
is a redirect to the room, and the room shows the resources once (web/_crisis_support.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

_KEY = "crisis_support"


def remember(request: HttpRequest, support: dict[str, Any] | None) -> None:
    if support:
        request.session[_KEY] = support


def take(request: HttpRequest) -> dict[str, Any] | None:
    """The resources to show on this page, once."""
    if not hasattr(request, "session"):
        return None
    support = request.session.pop(_KEY, None)
    return support if isinstance(support, dict) else None
