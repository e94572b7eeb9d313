"""Direct messages are private: a conversation between two people cannot be read by anyone
else through any page, API, stream, export or moderation tool. Each third party below (a
stranger, the event's facilitator and organiser, site staff) tries every route."""

from __future__ import annotations

import contextlib
import queue
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.support import http
from tests.support.sse import SSEStream
from tests.support.web import PageSession

SECRET = "Our daughter's appointment is on Tuesday"
REPLY = "Thank you for telling me privately"


@pytest.fixture
def chat(base_url: str, conference: Any, make_person: Any) -> dict[str, Any]:
    from backchannel.events.models import Registration
    from backchannel.messaging.actions import send_message

    amy = make_person("amy")
    fran = make_person("fran")
    Registration.objects.create(event=conference.event, user=amy.user, role="attendee")
    Registration.objects.create(event=conference.event, user=fran.user, role="facilitator")
    staff = make_person("root")
    staff.user.is_staff = staff.user.is_superuser = True
    staff.user.save()
    first = send_message(amy.user, "ada", body=SECRET).message
    send_message(conference.attendee.user, "amy", body=REPLY)
    return {
        "message": first,
        "third": {
            "outsider": conference.outsider,
            "facilitator": fran,
            "organiser": conference.organiser,
            "staff": staff,
        },
    }


API_READS = [
    "/api/v1/dms",
    "/api/v1/dms/ada",
    "/api/v1/dms/amy",
    "/api/v1/notifications",
    "/api/v1/me/export?format=json",
    "/api/v1/me/notices",
    "/api/v1/events/conf/moderation/message-reports",
    "/api/v1/sessions/{session}/posts",
    "/api/v1/users/ada",
    "/api/v1/users/amy",
]
PAGES = [
    "/messages/",
    "/messages/ada/",
    "/messages/amy/",
    "/notifications/",
    "/settings/data/export.json",
    "/u/ada/",
    "/u/amy/",
    "/e/conf/moderation/",
    "/e/conf/moderation/log/",
    "/admin/",
]


def _leaks(text: str) -> bool:
    return SECRET in text or REPLY in text or "appointment" in text


@pytest.mark.parametrize("who", ["outsider", "facilitator", "organiser", "staff"])
def test_nobody_else_can_read_a_conversation(
    live: str, conference: Any, chat: dict[str, Any], who: str
) -> None:
    person = chat["third"][who]
    message = chat["message"]
    with person.api(live) as client:
        for path in API_READS:
            response = client.get(path.format(session=conference.session.pk))
            assert response.status_code < 500, path
            assert not _leaks(response.text), f"{who} read the conversation at {path}"
        # Their "conversation with ada" is their own, and empty.
        assert client.get("/api/v1/dms/ada").json()["messages"] == []
        # The message cannot be reported (or found) by anyone but its recipient.
        report = client.post(
            f"/api/v1/dms/messages/{message.pk}/report",
            json={"event": "conf", "reason": "spam"},
        )
        assert report.status_code == 404
        zipped = client.get("/api/v1/me/export?format=csv")
        assert zipped.status_code == 200 and not _leaks(zipped.content.decode("latin-1"))

    page = PageSession(live)
    page.login(person.handle, PASSWORD)
    for path in PAGES:
        response = page.get(path)
        assert response.status_code < 500, path
        assert not _leaks(response.text), f"{who} read the conversation at {path}"
    assert page.get(f"/messages/report/{message.pk}/").status_code == 404
    if who == "staff":
        # The admin has no page for direct messages at all.
        assert page.get("/admin/messaging/message/").status_code == 404
        assert page.get("/admin/messaging/conversation/").status_code == 404

    # Their own stream, replayed from the very start, carries none of it.
    events: list[str] = []
    with (
        SSEStream(
            f"{live}/api/v1/me/stream?since=0", headers={"Authorization": f"Bearer {person.token}"}
        ) as stream,
        contextlib.suppress(queue.Empty),
    ):
        while True:
            events.append(stream.next(timeout=0.5).data)
    assert not any(_leaks(e) for e in events)


def test_the_private_topics_of_others_cannot_be_opened(
    live: str, conference: Any, chat: dict[str, Any]
) -> None:
    """There is no route to another person's topic: the stream is always the reader's own,
    and an anonymous reader has none."""

    response = http.get(f"{live}/api/v1/me/stream", timeout=5)
    assert response.status_code == 401
    for path in ("/api/v1/users/ada/stream", "/api/v1/me/stream/ada", "/api/v1/dms/ada/stream"):
        with chat["third"]["outsider"].api(live) as client:
            answer = client.get(path)
            assert answer.status_code in (404, 405), path
            assert not _leaks(answer.text)


def test_the_two_people_do_read_it(site: str, conference: Any, chat: dict[str, Any]) -> None:
    with conference.attendee.api(site) as client:
        bodies = [m["body"] for m in client.get("/api/v1/dms/amy").json()["messages"]]
    assert bodies == [SECRET, REPLY]
