"""Direct messages through the running server: live delivery on the private stream, unread
state, idempotent retries, who may message whom, bad input, and reporting one message."""

from __future__ import annotations

from typing import Any

import pytest

from backchannel.messaging.models import Message, MessageReport
from tests.support.sse import SSEStream


def _stream(live: str, person: Any) -> SSEStream:
    return SSEStream(
        f"{live}/api/v1/me/stream", headers={"Authorization": f"Bearer {person.token}"}
    )


def test_a_message_arrives_live_and_is_unread_until_read(live: str, make_person: Any) -> None:
    ada, amy = make_person("ada"), make_person("amy", name="Amy")
    with _stream(live, ada) as ada_stream, _stream(live, amy) as amy_stream:
        with amy.api(live) as client:
            sent = client.post("/api/v1/dms/ada", json={"body": "Coffee after the keynote?"})
        assert sent.status_code == 201, sent.text
        assert sent.json()["recipient"] == "ada"

        event = ada_stream.next()
        assert event.type == "dm.created"
        assert event.json["message"]["body"] == "Coffee after the keynote?"
        assert event.json["message"]["sender"] == "amy"
        assert event.json["unread"] == 1
        # The sender's other tabs hear of it too (without an unread count: it is theirs).
        mine = amy_stream.next()
        assert mine.type == "dm.created" and "unread" not in mine.json

    with ada.api(live) as client:
        inbox = client.get("/api/v1/dms").json()
        assert [(c["partner"]["handle"], c["unread"]) for c in inbox] == [("amy", 1)]
        conversation = client.get("/api/v1/dms/amy").json()
        assert [m["body"] for m in conversation["messages"]] == ["Coffee after the keynote?"]
        assert conversation["privacy"] == "Only you and @amy can read this conversation."
        assert conversation["can_send"] is True
        assert client.post("/api/v1/dms/amy/read").json() == {"marked": 1, "unread": 0}
        assert client.get("/api/v1/dms").json()[0]["unread"] == 0
        reply = client.post("/api/v1/dms/amy", json={"body": "Yes, see you there."})
        assert reply.status_code == 201
    with amy.api(live) as client:
        bodies = [m["body"] for m in client.get("/api/v1/dms/ada").json()["messages"]]
    assert bodies == ["Coffee after the keynote?", "Yes, see you there."]


def test_a_retried_message_is_sent_once(site: str, make_person: Any) -> None:
    make_person("ada")
    amy = make_person("amy")
    with amy.api(site) as client:
        first = client.post("/api/v1/dms/ada", json={"body": "Once", "client_id": "m-1"})
        again = client.post("/api/v1/dms/ada", json={"body": "Once", "client_id": "m-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("handle", "body", "status", "message"),
    [
        ("ada", "", 400, "cannot be empty"),
        ("ada", "   ", 400, "cannot be empty"),
        ("ada", "x" * 2001, 400, "the limit is 2000"),
        ("ada", "bad \x00 byte", 400, "control or invalid characters"),
        ("nobody_here", "Hello", 404, "No one is called @nobody_here"),
        ("amy", "Hello me", 403, "cannot message yourself"),
    ],
)
def test_bad_messages_are_refused_and_change_nothing(
    site: str, make_person: Any, handle: str, body: str, status: int, message: str
) -> None:
    make_person("ada")
    amy = make_person("amy")
    with amy.api(site) as client:
        response = client.post(f"/api/v1/dms/{handle}", json={"body": body})
        assert response.status_code == status, response.text
        assert message in response.json()["detail"]
        bad_id = client.post("/api/v1/dms/ada", json={"body": "Hi", "client_id": "no spaces"})
        assert bad_id.status_code == 400
        not_json = client.post(
            "/api/v1/dms/ada", content=b"{", headers={"Content-Type": "application/json"}
        )
        assert not_json.status_code in (400, 422)
    assert Message.objects.count() == 0


def test_people_can_refuse_messages_from_people_they_do_not_follow(
    site: str, make_person: Any
) -> None:
    ada, amy = make_person("ada"), make_person("amy")
    with ada.api(site) as client:
        assert client.put("/api/v1/me", json={"dms_from": "following"}).status_code == 200
    with amy.api(site) as client:
        refused = client.post("/api/v1/dms/ada", json={"body": "Hello?"})
        assert refused.status_code == 403
        assert refused.json()["detail"] == "@ada accepts messages only from people they follow."
        assert client.get("/api/v1/dms/ada").json()["can_send"] is False
    with ada.api(site) as client:
        assert client.put("/api/v1/users/amy/follow").status_code == 200
    with amy.api(site) as client:
        assert client.post("/api/v1/dms/ada", json={"body": "Hello!"}).status_code == 201


def test_blocking_stops_messages_both_ways_and_ends_follows(site: str, make_person: Any) -> None:
    ada, amy = make_person("ada"), make_person("amy")
    with amy.api(site) as client:
        assert client.put("/api/v1/users/ada/follow").json()["following"] is True
    with ada.api(site) as client:
        client.put("/api/v1/users/amy/follow")
        tie = client.put("/api/v1/users/amy/block").json()
        assert tie == {
            "handle": "amy",
            "following": False,
            "followed_by": False,
            "muting": False,
            "blocking": True,
        }
        assert client.post("/api/v1/dms/amy", json={"body": "x"}).status_code == 403
    with amy.api(site) as client:
        refused = client.post("/api/v1/dms/ada", json={"body": "Why?"})
        assert refused.status_code == 403
        assert refused.json()["detail"] == "You cannot message @ada."
        assert client.put("/api/v1/users/ada/follow").status_code == 403
        # The blocked person does not learn of it from the ties: only mutes and blocks of
        # their own show there.
        assert client.get("/api/v1/users/ada/ties").json()["blocking"] is False
    assert Message.objects.count() == 0


def test_the_recipient_reports_one_message_to_the_facilitators(
    live: str, conference: Any, make_person: Any
) -> None:
    from backchannel.events.actions import join_event

    amy = make_person("amy")
    join_event(amy.user, conference.event)
    ada = conference.attendee
    with amy.api(live) as client:
        client.post("/api/v1/dms/ada", json={"body": "A harmless hello"})
        bad = client.post("/api/v1/dms/ada", json={"body": "You are worthless"}).json()
    with SSEStream(
        f"{live}/api/v1/events/conf/moderation/stream",
        headers={"Authorization": f"Bearer {conference.organiser.token}"},
    ) as queue:
        with ada.api(live) as client:
            reported = client.post(
                f"/api/v1/dms/messages/{bad['id']}/report",
                json={"event": "conf", "reason": "harassment", "note": "Please look"},
            )
            assert reported.status_code == 201, reported.text
            again = client.post(
                f"/api/v1/dms/messages/{bad['id']}/report",
                json={"event": "conf", "reason": "harassment"},
            )
            assert again.status_code == 200 and again.json()["created"] is False
        event = queue.next()
        assert event.type == "dm_report.created"
        assert event.json == {"id": reported.json()["id"], "reason": "harassment", "sender": "amy"}
    with conference.organiser.api(live) as client:
        shown = client.get("/api/v1/events/conf/moderation/message-reports").json()
        assert [r["body"] for r in shown] == ["You are worthless"]
        page = httpx_page(live, "olive", "/e/conf/moderation/")
        assert "You are worthless" in page and "A harmless hello" not in page
        decided = client.post(
            f"/api/v1/events/conf/moderation/message-reports/{shown[0]['id']}",
            json={"outcome": "warned", "message": "Please keep it kind."},
        )
        assert decided.status_code == 200
        assert client.get("/api/v1/events/conf/moderation/message-reports").json() == []
    # The sender is warned privately, through their notices.
    with amy.api(live) as client:
        notices = client.get("/api/v1/me/notices").json()
    assert "Please keep it kind." in notices[0]["message"]
    assert MessageReport.objects.get().outcome == "warned"
    # The sender cannot report their own message; nobody can report to an event they are not in.
    with amy.api(live) as client:
        mine = client.post(
            f"/api/v1/dms/messages/{bad['id']}/report", json={"event": "conf", "reason": "spam"}
        )
        assert mine.status_code == 404


def httpx_page(live: str, handle: str, path: str) -> str:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    page = PageSession(live)
    page.login(handle, PASSWORD)
    return page.get(path).text


def test_the_conversation_page_works_without_javascript(site: str, make_person: Any) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    make_person("ada")
    make_person("amy", name="Amy")
    page = PageSession(site)
    page.login("ada", PASSWORD)
    form = page.get("/messages/amy/").text
    assert "only you and @amy can read it" in form
    sent = page.submit("/messages/amy/", {"body": "Sent from a form"})
    assert sent.status_code == 302
    assert "Sent from a form" in page.get("/messages/amy/").text
    refused = page.submit("/messages/amy/", {"body": ""})
    assert refused.status_code == 400
    assert Message.objects.count() == 1
    inbox = page.get("/messages/").text
    assert "Amy" in inbox and "You: Sent from a form" in inbox


def test_a_draft_from_a_reply_goes_privately_to_the_person_replied_to(
    site: str, conference: Any
) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    with conference.organiser.api(site) as client:
        post = client.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Any questions?"}
        ).json()
    page = PageSession(site)
    page.login("ada", PASSWORD)
    draft = page.submit(
        "/messages/",
        {"body": "About my son's school, privately", "reply_to": str(post["id"]), "private": "1"},
    )
    assert draft.status_code == 200
    assert 'value="olive"' in draft.text and "About my son&#x27;s school" in draft.text
    unknown = page.submit(
        "/messages/", {"to": "nobody_here", "body": "Hello", "send": "1"}, form_page="/messages/"
    )
    assert unknown.status_code == 404 and "No one is called @nobody_here" in unknown.text
    sent = page.submit("/messages/", {"to": "olive", "body": "About my son's school", "send": "1"})
    assert sent.status_code == 302 and sent.headers["location"] == "/messages/olive/"
    assert Message.objects.get().body == "About my son's school"
