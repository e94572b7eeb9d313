"""HTTP clients for tests: to the live server, or to Django in this process.

Contract tests (who may do what, what a page shows, which status a bad input gets) need no
socket: `site` (tests/conftest.py) hands them `IN_PROCESS`, and `client()` then routes httpx's
requests through Django's test handler in the test's own transaction, which is rolled back
afterwards instead of flushing every table. Streams are not Django views (backchannel.asgi
sends them to the stream app), so tests that read one use `live` and a real server.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
from django.test.client import ClientHandler

IN_PROCESS = "http://testserver"


class InProcessApp:
    """A WSGI application answering with Django's test handler: the live server's WSGI side,
    CSRF enforced, but without closing the test's database connection after each request
    (which would end the transaction the test runs in)."""

    # One for the process: building Django's middleware chain reads every static file
    # (WhiteNoise), which costs more than most requests.
    _handler: ClientHandler | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if InProcessApp._handler is None:
            InProcessApp._handler = ClientHandler(enforce_csrf_checks=True)
        response = InProcessApp._handler(environ)
        headers = [*response.items()]
        headers += [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        # Streaming responses here are exports and feeds, never a stream (see above).
        if response.streaming:
            return response.streaming_content  # type: ignore[return-value]
        return [response.content]


in_process_app = InProcessApp()


def client(base_url: str, **options: Any) -> httpx.Client:
    """An httpx client for `base_url`: the live server's, or `IN_PROCESS`."""
    options.setdefault("timeout", 10)
    if base_url == IN_PROCESS:
        options["transport"] = httpx.WSGITransport(app=in_process_app)
    return httpx.Client(base_url=base_url, **options)


def request(method: str, url: str, **options: Any) -> httpx.Response:
    """One request to a full URL (`httpx.request`, routed as `client()` routes)."""
    if url.startswith(IN_PROCESS):
        follow = options.pop("follow_redirects", False)
        timeout = options.pop("timeout", 10)
        with client(IN_PROCESS, follow_redirects=follow, timeout=timeout) as one:
            return one.request(method, url, **options)
    return httpx.request(method, url, **options)


def get(url: str, **options: Any) -> httpx.Response:
    return request("GET", url, **options)


def post(url: str, **options: Any) -> httpx.Response:
    return request("POST", url, **options)
