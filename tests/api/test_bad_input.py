"""Bad input gets a clear 4xx and changes nothing; user text is always escaped on output."""

from __future__ import annotations

from typing import Any

import pytest

from backchannel.feed.models import Post
from backchannel.realtime.models import StreamEvent
from tests.support import http

JSON = {"Content-Type": "application/json"}

BAD_BODIES: list[tuple[str, bytes, dict[str, str], int]] = [
    ("empty body text", b'{"body": ""}', JSON, 400),
    ("only whitespace", b'{"body": "  \\n\\t "}', JSON, 400),
    ("281 characters", b'{"body": "' + b"a" * 281 + b'"}', JSON, 400),
    # One character as people count them, 8,001 code points: capped too.
    ("stacked accents", b'{"body": "a' + b"\\u0301" * 8000 + b'"}', JSON, 400),
    ("body is a number", b'{"body": 42}', JSON, 422),
    ("body is null", b'{"body": null}', JSON, 422),
    ("body missing", b'{"text": "hi"}', JSON, 422),
    ("malformed JSON", b'{"body": "hi"', JSON, 400),
    ("JSON array", b'["hi"]', JSON, 400),
    ("wrong content type", b"body=hi", {"Content-Type": "application/x-www-form-urlencoded"}, 400),
    ("plain text", b"hi", {"Content-Type": "text/plain"}, 400),
    ("invalid UTF-8", b'{"body": "\xff\xfe hi"}', JSON, 400),
    ("NUL character", b'{"body": "a\\u0000b"}', JSON, 400),
    ("escape sequence", b'{"body": "\\u001b[31mred"}', JSON, 400),
    ("lone surrogate", b'{"body": "\\ud800"}', JSON, 422),
    ("huge body", b'{"body": "' + b"a" * 200_000 + b'"}', JSON, 413),
    ("reply_to too large", b'{"body": "x", "reply_to": 99999999999999999999999}', JSON, 422),
    ("reply_to negative", b'{"body": "x", "reply_to": -1}', JSON, 422),
    ("reply_to unknown", b'{"body": "x", "reply_to": 123456}', JSON, 400),
    ("reply_to text", b'{"body": "x", "reply_to": "one"}', JSON, 422),
    ("client_id with spaces", b'{"body": "x", "client_id": "a b"}', JSON, 400),
    ("client_id too long", b'{"body": "x", "client_id": "' + b"a" * 65 + b'"}', JSON, 422),
]


@pytest.mark.parametrize(
    ("name", "payload", "headers", "status"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
def test_bad_post_is_refused_and_changes_nothing(
    site: str, conference: Any, name: str, payload: bytes, headers: dict[str, str], status: int
) -> None:
    with conference.attendee.api(site) as api:
        response = api.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", content=payload, headers=headers
        )
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]
    assert "Traceback" not in response.text
    assert Post.objects.count() == 0
    assert StreamEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/sessions/999999/posts", 404),
        ("POST", "/api/v1/sessions/999999/posts", 404),
        ("GET", "/api/v1/sessions/99999999999999999999999/posts", 422),
        ("GET", "/api/v1/sessions/0/posts", 422),
        ("GET", "/api/v1/sessions/abc/posts", 422),
        ("GET", "/api/v1/sessions/{s}/posts?limit=0", 422),
        ("GET", "/api/v1/sessions/{s}/posts?limit=5000", 422),
        ("GET", "/api/v1/sessions/{s}/posts?before=x", 422),
        ("GET", "/api/v1/events/no-such-event", 404),
        ("GET", "/api/v1/posts/424242", 404),
        ("DELETE", "/api/v1/posts/424242", 404),
        ("GET", "/api/v1/sessions/999999/stream", 404),
        ("GET", "/api/v1/sessions/{s}/stream?since=abc", 400),
        ("POST", "/api/v1/sessions/{s}/stream", 405),
        ("GET", "/api/v1/nothing-here", 404),
    ],
)
def test_unknown_and_malformed_addresses_are_4xx(
    live: str, conference: Any, method: str, path: str, status: int
) -> None:
    with conference.attendee.api(live) as api:
        response = api.request(
            method,
            path.format(s=conference.session.pk),
            json={"body": "x"} if method == "POST" else None,
        )
    assert response.status_code == status, response.text[:300]
    assert Post.objects.count() == 0


def test_browser_session_needs_csrf_for_writes(live: str, conference: Any) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    browser = PageSession(live)
    browser.login("ada", PASSWORD)
    url = f"/api/v1/sessions/{conference.session.pk}/posts"
    refused = browser.client.post(url, json={"body": "no csrf"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    token = browser.client.cookies["csrftoken"]
    accepted = browser.client.post(
        url, json={"body": "with csrf"}, headers={"X-CSRFToken": token, "Referer": live}
    )
    assert accepted.status_code == 201
    assert list(Post.objects.values_list("body", flat=True)) == ["with csrf"]


ATTACK = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_in_every_text_field_is_escaped(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        profile = {
            "display_name": ATTACK[:50],
            "bio": ATTACK,
            "affiliation": ATTACK,
            "disclaimer": ATTACK[:100],
        }
        assert api.put("/api/v1/me", json=profile).status_code == 200
        post = api.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": ATTACK})
        assert post.status_code == 201
        assert "<script>" not in post.json()["html"]
    for path in (f"/e/conf/s/{conference.session.pk}/", "/u/ada/", "/e/conf/lobby/"):
        text = http.get(f"{site}{path}").text
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
    # The API returns text as text (JSON); its HTML fields are escaped.
    listed = http.get(f"{site}/api/v1/sessions/{conference.session.pk}/posts").json()
    assert listed["posts"][0]["body"] == ATTACK
    assert listed["posts"][0]["body_html"].startswith("&lt;script&gt;")


def test_event_and_session_fields_are_escaped(site: str, conference: Any) -> None:
    with conference.organiser.api(site) as api:
        response = api.post(
            "/api/v1/events/conf/sessions",
            json={
                "title": ATTACK,
                "abstract": ATTACK,
                "starts_at": "2026-07-01T14:00:00",
                "ends_at": "2026-07-01T15:00:00",
            },
        )
        assert response.status_code == 201, response.text
        session_id = response.json()["id"]
    for path in ("/e/conf/", f"/e/conf/s/{session_id}/"):
        text = http.get(f"{site}{path}").text
        assert "<script>alert" not in text and "&lt;script&gt;" in text
