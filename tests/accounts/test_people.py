"""Profiles, pictures, link verification, follows, mutes and roles, through the server."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image

from backchannel.accounts.models import User
from tests.conftest import PASSWORD
from tests.support import http
from tests.support.web import PageSession


def _jpeg_with_location(colour: str = "orange") -> bytes:
    image = Image.new("RGB", (600, 400), colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_picture_is_squared_and_stripped_of_metadata(site: str, make_person: Any) -> None:
    ada = make_person("ada")
    original = _jpeg_with_location()
    assert b"PhoneMaker" in original
    with ada.api(site) as client:
        response = client.post(
            "/api/v1/me/avatar", files={"avatar": ("me.jpg", original, "image/jpeg")}
        )
        assert response.status_code == 200, response.text
        url = response.json()["avatar_url"]
    assert re.fullmatch(r"/u/ada/avatar/[1-9][0-9]*\.webp", url)
    served = http.get(f"{site}{url}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert "immutable" in served.headers["cache-control"]
    picture = Image.open(io.BytesIO(served.content))
    assert picture.size == (256, 256)
    assert not picture.getexif()
    assert b"PhoneMaker" not in served.content and b"Exif" not in served.content
    # Posts and the profile show it.
    assert url in http.get(f"{site}/u/ada/").text


def test_a_picture_removed_and_replaced_gets_an_address_never_used(
    site: str, make_person: Any
) -> None:
    """Pictures are cached as immutable: an address that showed one picture never shows
    another, even when the first was removed and the next uploaded in the same second."""
    ada = make_person("ada")
    addresses = []
    with ada.api(site) as client:
        for colour in ("orange", "teal", "orange"):
            response = client.post(
                "/api/v1/me/avatar",
                files={"avatar": ("me.jpg", _jpeg_with_location(colour), "image/jpeg")},
            )
            assert response.status_code == 200, response.text
            addresses.append(response.json()["avatar_url"])
            assert client.delete("/api/v1/me/avatar").json()["avatar_url"] is None
    orange, teal, orange_again = addresses
    assert teal != orange
    assert orange_again == orange  # the same picture: its address may serve it from a cache


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Choose an image file"),
        (b"not an image at all", "not an image we can read"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not an image we can read"),
    ],
)
def test_bad_pictures_are_refused(
    site: str, make_person: Any, content: bytes, message: str
) -> None:
    ada = make_person("ada")
    with ada.api(site) as client:
        response = client.post(
            "/api/v1/me/avatar", files={"avatar": ("x.png", content, "image/png")}
        )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    ada.user.refresh_from_db()
    assert ada.user.avatar_version == 0


def test_a_decompression_bomb_is_refused(site: str, make_person: Any) -> None:
    ada = make_person("ada")
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # small file, 144 million pixels
    with ada.api(site) as client:
        response = client.post(
            "/api/v1/me/avatar", files={"avatar": ("big.png", out.getvalue(), "image/png")}
        )
    assert response.status_code == 400


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self) -> None:
        body = self.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def other_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_links_are_verified_by_rel_me(
    site: str, make_person: Any, other_site: str, settings: Any
) -> None:
    settings.BACKCHANNEL_LINK_CHECK_PRIVATE = True
    ada = make_person("ada")
    _Pages.pages = {
        "/ada": f'<html><body><a rel="me noopener" href="{site}/u/ada/">me</a></body></html>',
        "/@ada": '<html><a href="/elsewhere">not me</a></html>',
    }
    with ada.api(site) as client:
        saved = client.put(
            "/api/v1/me",
            json={"website": f"{other_site}/ada", "mastodon": f"{other_site}/@ada"},
        )
        assert saved.status_code == 200, saved.text
        assert client.post("/api/v1/me/links/verify").json() == {
            "website": True,
            "mastodon": False,
        }
        profile = client.get("/api/v1/users/ada").json()
    assert profile["website_verified"] is True and profile["mastodon_verified"] is False
    page = http.get(f"{site}/u/ada/").text
    assert "Verified" in page and 'rel="me' in page
    # Changing the address drops the verification until it is checked again.
    with ada.api(site) as client:
        client.put("/api/v1/me", json={"website": f"{other_site}/other"})
        assert client.get("/api/v1/users/ada").json()["website_verified"] is False


def test_link_checks_never_reach_private_addresses(
    site: str, make_person: Any, other_site: str
) -> None:
    """By default the server refuses to fetch loopback and private addresses."""
    ada = make_person("ada")
    _Pages.pages = {"/ada": f'<a rel="me" href="{site}/u/ada/">me</a>'}
    with ada.api(site) as client:
        client.put("/api/v1/me", json={"website": f"{other_site}/ada"})
        assert client.post("/api/v1/me/links/verify").json() == {
            "website": False,
            "mastodon": None,
        }


@pytest.mark.parametrize(
    ("field", "value"),
    [("website", "javascript:alert(1)"), ("website", "not a url"), ("dms_from", "strangers")],
)
def test_bad_profile_values_are_refused(
    site: str, make_person: Any, field: str, value: str
) -> None:
    ada = make_person("ada")
    with ada.api(site) as client:
        response = client.put("/api/v1/me", json={field: value})
    assert response.status_code == 400
    assert User.objects.get(username="ada").website == ""


def test_follows_show_on_profiles_and_in_the_following_view(
    site: str, conference: Any, make_person: Any
) -> None:
    from backchannel.events.actions import join_event

    amy = make_person("amy", name="Amy Attendee", pronouns="she/her")
    join_event(amy.user, conference.event)
    for session, body in (
        (conference.session, "In the keynote"),
        (conference.other_session, "In the workshop"),
    ):
        with amy.api(site) as client:
            client.post(f"/api/v1/sessions/{session.pk}/posts", json={"body": body})
    with conference.organiser.api(site) as client:
        client.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Not followed"}
        )
    ada = conference.attendee
    with ada.api(site) as client:
        assert client.put("/api/v1/users/amy/follow").json()["following"] is True
        assert client.put("/api/v1/users/amy/follow").status_code == 200  # idempotent
        view = client.get("/api/v1/events/conf/following").json()
        assert [p["body"] for p in view["posts"]] == ["In the workshop", "In the keynote"]
        assert client.put("/api/v1/users/ada/follow").status_code == 400  # yourself
        assert client.put("/api/v1/users/nobody/follow").status_code == 404
    assert http.get(f"{site}/api/v1/users/amy").json()["followers"] == 1
    assert [p["handle"] for p in http.get(f"{site}/api/v1/users/amy/followers").json()] == ["ada"]
    profile = http.get(f"{site}/u/amy/").text
    assert "she/her" in profile and "1</strong> follower" in profile
    page = PageSession(site)
    page.login("ada", PASSWORD)
    following = page.get("/e/conf/following/").text
    assert "In the workshop" in following and "Not followed" not in following
    assert page.submit("/u/amy/follow/", {"on": "0"}, form_page="/u/amy/").status_code == 302
    assert http.get(f"{site}/api/v1/users/amy").json()["followers"] == 0


def test_a_muted_persons_posts_are_hidden_from_feeds(
    site: str, conference: Any, make_person: Any
) -> None:
    from backchannel.events.actions import join_event

    amy = make_person("amy")
    join_event(amy.user, conference.event)
    page = PageSession(site)
    page.login("ada", PASSWORD)
    assert page.submit("/u/amy/mute/", {"on": "1"}, form_page="/u/amy/").status_code == 302
    room = page.get(f"/e/conf/s/{conference.session.pk}/").text
    # A style rule hides their posts, including ones that arrive site later.
    assert '.post[data-author="amy"]' in room
    assert page.submit("/u/amy/mute/", {"on": "0"}, form_page="/u/amy/").status_code == 302
    assert 'data-author="amy"]' not in page.get(f"/e/conf/s/{conference.session.pk}/").text


def test_profiles_show_roles_at_events(site: str, conference: Any, make_person: Any) -> None:
    from backchannel.events.models import Registration

    pat = make_person("pat", name="Pat Presenter")
    Registration.objects.create(event=conference.event, user=pat.user, role="presenter")
    conference.session.presenters.add(pat.user)
    page = http.get(f"{site}/u/pat/").text
    assert "Presenter" in page and "Keynote" in page and "Test Conference" in page
    olive = http.get(f"{site}/u/olive/").text
    assert "Organiser" in olive
