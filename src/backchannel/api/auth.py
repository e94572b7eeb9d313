"""API authentication: a bearer token, or the browser session (with its CSRF check)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from backchannel.accounts.models import User
from backchannel.accounts.tokens import bearer_from_header, user_for_token
from backchannel.errors import ActionError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The browser session, CSRF-checked. Without a session cookie there is no ambient
    credential to protect, so the request is simply unauthenticated (401, not a CSRF 403)."""

    def __call__(self, request: HttpRequest) -> Any:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


# Writes: a token, or a signed-in browser with a CSRF token.
SIGNED_IN = [TokenAuth(), BrowserSessionAuth()]


class Unauthorized(ActionError):
    status = 401
    code = "unauthorized"


def actor(request: HttpRequest) -> User:
    """The signed-in person of an endpoint declared with `auth=SIGNED_IN`."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def viewer(request: HttpRequest) -> Any:
    """Who is reading (reads are open to anonymous readers where the content is public)."""
    token = bearer_from_header(request.headers.get("Authorization"))
    if token:
        user = user_for_token(token)
        if user is None:
            raise Unauthorized("That token is not valid.")
        return user
    return getattr(request, "user", AnonymousUser())
