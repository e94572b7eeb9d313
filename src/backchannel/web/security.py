"""Security headers on every page and API answer (streams set their own, api/streams.py).

- Content-Security-Policy: scripts and styles only from this site; the one inline `<style>` a
  page may carry (hiding muted people's posts) has the request's nonce. No `unsafe-inline`.
  The API's answers carry the same policy without a nonce.
- Permissions-Policy: nothing here needs a camera, a microphone or a location.
- Cache-Control: no-store on every answer to a signed-in request (a page or the API with a
  token): they carry someone's own messages, tokens and notices.
- Cookies are Secure whenever the request came over https (behind a proxy, uvicorn reads
  X-Forwarded-Proto), without a setting to remember; HSTS comes from SecurityMiddleware
  (SECURE_HSTS_SECONDS), which sends it on https only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)


def content_security_policy(nonce: str | None, *, style_hashes: tuple[str, ...] = ()) -> str:
    nonces = [f"'nonce-{nonce}'"] if nonce else []
    styles = " ".join(["'self'", *nonces, *(f"'{h}'" for h in style_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def is_private(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return signed_in or "HTTP_AUTHORIZATION" in request.META


# The API answers JSON (and its documentation page, which carries no inline style): no nonce
# to make, so one policy for every answer, built once (issue #17: a post is an API request).
API_POLICY = content_security_policy(None)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            policy = API_POLICY
        else:
            nonce = secrets.token_urlsafe(16)
            request.csp_nonce = nonce  # type: ignore[attr-defined]
            policy = content_security_policy(nonce)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_private(request) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        if request.is_secure():
            for cookie in response.cookies.values():
                cookie["secure"] = True
        return response
