"""Changing and resetting a password, as people do it: on the settings page, through the API,
and by a link sent by e-mail. A new password ends every other session and closes their
streams; wrong current passwords are counted like any guess."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.support import http
from tests.support.sse import SSEStream
from tests.support.web import PageSession

NEW = "a-brand-new-passphrase-7"


def signed_in(live: str, handle: str, password: str = PASSWORD) -> PageSession:
    page = PageSession(live)
    page.login(handle, password)
    return page


def can_sign_in(live: str, handle: str, password: str) -> bool:
    page = PageSession(live)
    answer = page.submit("/accounts/login/", {"username": handle, "password": password})
    return answer.status_code == 302


def test_changing_the_password_signs_out_every_other_session_and_stream(
    live: str, conference: Any
) -> None:
    handle = conference.attendee.handle
    here, laptop = signed_in(live, handle), signed_in(live, handle)
    cookie = f"sessionid={laptop.client.cookies['sessionid']}"
    with SSEStream(f"{live}/api/v1/me/stream", headers={"Cookie": cookie}) as laptop_stream:
        assert laptop_stream.response.status_code == 200
        wrong = here.submit(
            "/settings/account/", {"which": "password", "current": "nope-nope", "new": NEW}
        )
        assert wrong.status_code == 400 and "not your current password" in wrong.text
        weak = here.submit(
            "/settings/account/", {"which": "password", "current": PASSWORD, "new": "1234567890"}
        )
        assert weak.status_code == 400 and 'class="errorlist' in weak.text
        assert can_sign_in(live, handle, PASSWORD)  # nothing changed yet

        changed = here.submit(
            "/settings/account/", {"which": "password", "current": PASSWORD, "new": NEW}
        )
        assert changed.status_code == 302
        with pytest.raises(EOFError):
            for _ in range(50):
                laptop_stream.next(10)
    assert here.get("/settings/account/").status_code == 200  # this session stays
    assert laptop.get("/messages/").status_code == 302  # the other is signed out
    assert not can_sign_in(live, handle, PASSWORD) and can_sign_in(live, handle, NEW)


def test_the_api_changes_the_password_and_counts_wrong_ones(
    site: str, conference: Any, settings: Any
) -> None:
    settings.BACKCHANNEL_RATE_PASSWORD_FAILURES = "2/15minutes"
    with conference.attendee.api(site) as api:
        url = "/api/v1/me/password"
        weak = api.put(url, json={"current_password": PASSWORD, "new_password": "password"})
        assert weak.status_code == 400 and weak.json()["code"] == "weak_password"
        assert api.put(url, json={"current_password": "x", "new_password": NEW}).status_code == 403
        assert api.put(url, json={"current_password": "y", "new_password": NEW}).status_code == 403
        locked = api.put(url, json={"current_password": PASSWORD, "new_password": NEW})
        assert locked.status_code == 429
    assert can_sign_in(site, conference.attendee.handle, PASSWORD)
    with conference.organiser.api(site) as api:
        done = api.put(url, json={"current_password": PASSWORD, "new_password": NEW})
        assert done.status_code == 204
        assert api.get("/api/v1/me").status_code == 200  # tokens keep working
    assert can_sign_in(site, conference.organiser.handle, NEW)


def test_a_forgotten_password_is_reset_by_a_link_sent_by_email(
    live: str, conference: Any, mailoutbox: Any, settings: Any
) -> None:
    settings.BACKCHANNEL_RATE_RESET = "2/hour"
    handle = conference.attendee.handle
    owner = signed_in(live, handle)
    saved = owner.submit(
        "/settings/account/", {"which": "email", "email": "ada@example.org", "password": PASSWORD}
    )
    assert saved.status_code == 302
    cookie = f"sessionid={owner.client.cookies['sessionid']}"

    visitor = PageSession(live)
    assert "Reset it by e-mail" in visitor.get("/accounts/login/").text
    unknown = visitor.submit("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert unknown.status_code == 302  # the same answer: nobody learns who has an account
    assert mailoutbox == []
    asked = visitor.submit("/accounts/password-reset/", {"email": "ADA@example.org"})
    assert asked.status_code == 302 and asked.headers["location"].endswith("/sent/")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ada@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", mailoutbox[0].body)
    assert link is not None
    opened = visitor.client.get(link.group(1), follow_redirects=True)
    assert opened.status_code == 200 and "Choose a new password" in opened.text
    form_url = str(opened.url.path)
    with SSEStream(f"{live}/api/v1/me/stream", headers={"Cookie": cookie}) as stream:
        done = visitor.submit(
            form_url, {"new_password1": NEW, "new_password2": NEW}, form_page=form_url
        )
        assert done.status_code == 302 and done.headers["location"].endswith("/complete/")
        with pytest.raises(EOFError):
            for _ in range(50):
                stream.next(10)
    assert owner.get("/messages/").status_code == 302
    assert can_sign_in(live, handle, NEW)
    # The link works once.
    again = visitor.client.get(link.group(1), follow_redirects=True)
    assert "no longer works" in again.text
    # A mailbox is not flooded: the third request for it within the hour is refused.
    visitor.submit("/accounts/password-reset/", {"email": "ada@example.org"})
    refused = visitor.submit("/accounts/password-reset/", {"email": "ada@example.org"})
    assert refused.status_code == 429 and len(mailoutbox) == 2
    assert http.get(f"{live}/accounts/password-reset/").status_code == 200
