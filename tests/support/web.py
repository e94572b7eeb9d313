"""Driving the pages over HTTP as a browser would: cookies, CSRF tokens, forms."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.support.http import client

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def event_form(event: Any, **changes: str) -> dict[str, str]:
    """The event's manage form as its organiser would leave it, with `changes`."""
    fields = {
        "name": event.name,
        "hashtag": event.hashtag,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "timezone": event.timezone,
        "access": event.access,
    }
    return {**fields, **changes}


class PageSession:
    def __init__(self, base_url: str) -> None:
        self.client = client(base_url, follow_redirects=False)

    def csrf_from(self, path: str) -> str:
        page = self.client.get(path)
        match = _CSRF.search(page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def submit(
        self, path: str, data: dict[str, str], *, form_page: str | None = None
    ) -> httpx.Response:
        token = self.csrf_from(form_page or path)
        return self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": str(self.client.base_url)},
        )

    def login(self, handle: str, password: str) -> None:
        response = self.submit("/accounts/login/", {"username": handle, "password": password})
        assert response.status_code == 302, response.text[:500]

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def close(self) -> None:
        self.client.close()
