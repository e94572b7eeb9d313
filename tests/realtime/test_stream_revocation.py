"""Streams end the moment the right to read them goes, in every process (through the control
topic, as suspension does): an event turned join-code closes the streams only its being public
allowed, a revoked token closes the streams opened with it, and signing out closes the streams
that browser session opened."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.support.sse import SSEStream
from tests.support.web import PageSession


def assert_ends(stream: SSEStream) -> None:
    """The server ends the stream (nothing more is delivered), within the read deadline."""
    with pytest.raises(EOFError):
        for _ in range(50):
            stream.next(10)


def next_post(stream: SSEStream, body: str) -> None:
    for _ in range(50):
        event = stream.next(10)
        if event.type == "post.created" and event.json["post"]["body"] == body:
            return
    raise AssertionError(f"{body!r} did not arrive")


def _edit_form(event: Any, **changes: str) -> dict[str, str]:
    from backchannel.events.forms import EditEventForm

    data = {}
    for name in EditEventForm.base_fields:
        if not hasattr(event, name):  # the form's own switches (custom_colour)
            continue
        value = getattr(event, name)
        data[name] = (
            ""
            if value is None
            else value.isoformat()
            if hasattr(value, "isoformat")
            else str(value)
        )
    return {**data, **changes}


def test_an_event_turned_join_code_closes_the_streams_only_its_being_public_allowed(
    live: str, conference: Any
) -> None:
    from backchannel.feed.actions import create_post

    url = f"{live}/api/v1/sessions/{conference.session.pk}/stream"
    member = {"Authorization": f"Bearer {conference.attendee.token}"}
    stranger = {"Authorization": f"Bearer {conference.outsider.token}"}
    with (
        SSEStream(url) as anonymous,
        SSEStream(url, headers=stranger) as outsider,
        SSEStream(url, headers=member) as attendee,
    ):
        organiser = PageSession(live)
        organiser.login(conference.organiser.handle, PASSWORD)
        saved = organiser.submit(
            "/e/conf/manage/",
            _edit_form(conference.event, access="code", join_code="NEW-CODE"),
        )
        assert saved.status_code == 302, saved.text[:2000]
        assert_ends(anonymous)
        assert_ends(outsider)
        # A member keeps reading, live.
        create_post(conference.organiser.user, conference.session, body="Members only now")
        next_post(attendee, "Members only now")


def test_a_revoked_token_closes_the_streams_it_opened(live: str, conference: Any) -> None:
    from backchannel.accounts.actions import create_api_token
    from backchannel.accounts.models import ApiToken

    token, raw = create_api_token(conference.attendee.user, name="phone app")
    assert isinstance(token, ApiToken)
    url = f"{live}/api/v1/me/stream"
    with (
        SSEStream(url, headers={"Authorization": f"Bearer {raw}"}) as phone,
        SSEStream(url, headers={"Authorization": f"Bearer {conference.attendee.token}"}) as laptop,
    ):
        page = PageSession(live)
        page.login(conference.attendee.handle, PASSWORD)
        assert page.submit("/settings/tokens/", {"revoke": str(token.pk)}).status_code == 302
        assert_ends(phone)
        # The person's other credentials keep their streams.
        from backchannel.messaging.actions import send_message

        send_message(conference.organiser.user, "ada", body="still here?")
        event = laptop.next(10)
        assert event.type == "dm.created"


def test_signing_out_closes_the_streams_of_that_browser_session(live: str, conference: Any) -> None:
    page = PageSession(live)
    page.login(conference.attendee.handle, PASSWORD)
    cookie = f"sessionid={page.client.cookies['sessionid']}"
    with SSEStream(f"{live}/api/v1/me/stream", headers={"Cookie": cookie}) as private:
        assert private.response.status_code == 200
        signed_out = page.submit("/accounts/logout/", {}, form_page="/")
        assert signed_out.status_code == 302
        assert_ends(private)
    again = SSEStream(f"{live}/api/v1/me/stream", headers={"Cookie": cookie})
    with again:
        assert again.response.status_code == 401
