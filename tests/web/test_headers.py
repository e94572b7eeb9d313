"""Security headers as a browser and an attacker's script see them, through the running server:
a Content-Security-Policy without inline scripts, a Permissions-Policy, no-store on private
answers, HSTS and Secure cookies over https, nosniff on streams."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import PASSWORD
from tests.support import http
from tests.support.web import PageSession


def _csp(response: httpx.Response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in policy.split(";"))}


def test_pages_and_the_api_carry_the_policies(site: str, conference: Any) -> None:
    for path in ["/", "/e/conf/", f"/e/conf/s/{conference.session.pk}/", "/api/v1/events/conf"]:
        response = http.get(site + path)
        csp = _csp(response)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], path
        assert csp["script-src"] == "'self'" and csp["object-src"] == "'none'", path
        assert csp["frame-ancestors"] == "'none'", path
        assert "camera=()" in response.headers["permissions-policy"], path
        assert response.headers["x-content-type-options"] == "nosniff", path
        # Public answers to anonymous readers may be cached; nothing says no-store.
        assert "no-store" not in response.headers.get("cache-control", ""), path
    # Each page gets its own nonce.
    first, second = (_csp(http.get(f"{site}/"))["style-src"] for _ in range(2))
    assert first != second and "'nonce-" in first
    # The API's answers have no inline style to allow: one policy, without a nonce.
    api = [_csp(http.get(f"{site}/api/v1/events/conf")) for _ in range(2)]
    assert api[0] == api[1] and api[0]["style-src"] == "'self'"


def test_private_answers_are_never_stored(site: str, conference: Any) -> None:
    token = {"Authorization": f"Bearer {conference.attendee.token}"}
    for path in ["/api/v1/me", "/api/v1/dms", f"/api/v1/sessions/{conference.session.pk}/posts"]:
        response = http.get(site + path, headers=token)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
    page = PageSession(site)
    page.login("ada", PASSWORD)
    for path in ["/messages/", "/settings/tokens/", "/notifications/", "/e/conf/"]:
        response = page.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
    page.close()


def test_over_https_cookies_are_secure_and_hsts_is_sent(live: str, conference: Any) -> None:
    # Behind a proxy: uvicorn believes X-Forwarded-Proto from the proxy on 127.0.0.1.
    https = {"X-Forwarded-Proto": "https"}
    with http.client(live, headers=https) as client:
        page = client.get("/accounts/login/")
        assert page.headers["strict-transport-security"].startswith("max-age=31536000")
        cookie = page.headers["set-cookie"]
        assert "csrftoken=" in cookie and "Secure" in cookie
    plain = http.get(f"{live}/accounts/login/")
    assert "strict-transport-security" not in plain.headers
    assert "Secure" not in plain.headers["set-cookie"]
