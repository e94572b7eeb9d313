"""Moderation end to end, through the running server: reports and the live queue, decisions on
posts (and what readers, replays and authors see), restrictions on people (suspension closes
open streams), pre-moderation, slow mode, word filters, appeals and the transparency page."""

from __future__ import annotations

import logging
import queue
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support import http
from tests.support.sse import SSEStream
from tests.support.web import PageSession


@dataclass
class Room:
    live: str
    conference: Any
    facilitator: Any

    @property
    def session(self) -> Any:
        return self.conference.session

    def api(self, person: Any) -> httpx.Client:
        return person.api(self.live)

    def post(self, person: Any, body: str, **extra: Any) -> httpx.Response:
        with self.api(person) as client:
            return client.post(
                f"/api/v1/sessions/{self.session.pk}/posts", json={"body": body, **extra}
            )

    def feed_stream(self, since: int | None = None) -> SSEStream:
        query = f"?since={since}" if since is not None else ""
        return SSEStream(f"{self.live}/api/v1/sessions/{self.session.pk}/stream{query}")

    def mod_stream(self) -> SSEStream:
        return SSEStream(
            f"{self.live}/api/v1/events/conf/moderation/stream",
            headers={"Authorization": f"Bearer {self.facilitator.token}"},
        )

    def decide(self, post_id: int, action: str, **extra: Any) -> httpx.Response:
        with self.api(self.facilitator) as client:
            return client.post(
                f"/api/v1/posts/{post_id}/moderation", json={"action": action, **extra}
            )

    def queue(self) -> list[dict[str, Any]]:
        with self.api(self.facilitator) as client:
            response = client.get("/api/v1/events/conf/moderation/queue")
        assert response.status_code == 200
        return list(response.json()["items"])

    def notices(self, person: Any) -> list[dict[str, Any]]:
        with self.api(person) as client:
            return list(client.get("/api/v1/me/notices").json())


@pytest.fixture
def room(base_url: str, conference: Any, make_person: Any) -> Room:
    from backchannel.events.models import Registration

    facilitator = make_person("fran", name="Fran Facilitator")
    Registration.objects.create(event=conference.event, user=facilitator.user, role="facilitator")
    return Room(base_url, conference, facilitator)


def next_of(stream: SSEStream, kind: str, timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        event = stream.next(max(0.1, deadline - time.monotonic()))
        if event.type == kind:
            return event


def replay_all(room: Room) -> list[Any]:
    """Everything a reader replaying the session's stream from the start receives."""
    url = f"{room.live}/api/v1/sessions/{room.session.pk}/stream?since=0"
    events = []
    with SSEStream(url) as replay:
        try:
            while True:
                events.append(replay.next(0.5))
        except queue.Empty:
            pass
    return events


def test_a_report_reaches_the_live_queue_once_per_person(live: str, room: Room) -> None:
    created = room.post(room.conference.attendee, "Hot take about the keynote").json()
    with room.mod_stream() as queue:
        assert queue.response.status_code == 200
        with room.api(room.conference.outsider) as client:
            first = client.post(
                f"/api/v1/posts/{created['id']}/reports",
                json={"reason": "harassment", "note": "rude to the speaker"},
            )
            again = client.post(f"/api/v1/posts/{created['id']}/reports", json={"reason": "spam"})
        assert first.status_code == 201 and first.json()["created"] is True
        assert again.status_code == 200 and again.json()["created"] is False
        item = next_of(queue, "queue.item").json
        assert item["post_id"] == created["id"] and item["urgent"] is False
        assert "Hot take about the keynote" in item["html"]
    [open_item] = room.queue()
    assert open_item["signals"] == ["report"] and open_item["report_count"] == 1
    assert open_item["details"] == ["report: harassment"]


def test_reports_refuse_bad_input_and_the_author(room: Room) -> None:
    from backchannel.moderation.models import Report

    created = room.post(room.conference.attendee, "Mine").json()
    with room.api(room.conference.attendee) as client:
        own = client.post(f"/api/v1/posts/{created['id']}/reports", json={"reason": "spam"})
    with room.api(room.conference.outsider) as client:
        bad = client.post(f"/api/v1/posts/{created['id']}/reports", json={"reason": "nope"})
        missing = client.post("/api/v1/posts/999999/reports", json={"reason": "spam"})
        too_long = client.post(
            f"/api/v1/posts/{created['id']}/reports", json={"reason": "spam", "note": "x" * 2001}
        )
    assert own.status_code == 403
    assert bad.status_code == 422 and "reason" in bad.json()["detail"]
    assert missing.status_code == 404
    assert too_long.status_code == 422
    assert Report.objects.count() == 0


def test_hiding_takes_the_post_out_of_feeds_replays_and_the_api(live: str, room: Room) -> None:
    attendee = room.conference.attendee
    secret = "Jamie from Maple Street school"
    created = room.post(attendee, f"Met {secret} today", confirm=True).json()
    with room.feed_stream() as readers:
        hidden = room.decide(created["id"], "hide", reason="child_identity", note="a child")
        assert hidden.status_code == 200
        event = next_of(readers, "post.hidden")
        assert event.json == {"post_id": created["id"], "thread_root": None}

    # A reader replaying from the start never receives the text again.
    replayed = replay_all(room)
    assert replayed and all(secret not in e.data for e in replayed)
    assert any(e.type == "post.hidden" for e in replayed)

    with http.client(room.live) as anonymous:
        listed = anonymous.get(f"/api/v1/sessions/{room.session.pk}/posts").json()["posts"]
        assert created["id"] not in [p["id"] for p in listed]
        assert anonymous.get(f"/api/v1/posts/{created['id']}").status_code == 404
        page = anonymous.get(f"/e/conf/s/{room.session.pk}/").text
        assert secret not in page
    with room.api(attendee) as client:  # the author still sees it, marked
        mine = client.get(f"/api/v1/posts/{created['id']}").json()
    assert mine["status"] == "hidden"

    [notice] = room.notices(attendee)
    assert notice["kind"] == "hidden" and "could identify a child" in notice["message"]
    assert notice["decision_id"] is not None

    with room.api(room.facilitator) as client:
        log = client.get("/api/v1/events/conf/moderation/log").json()["entries"]
    assert log[0]["kind"] == "hide" and log[0]["actor"] == "fran"
    assert log[0]["reason"] == "child_identity" and log[0]["note"] == "a child"

    # Restoring brings it back, live.
    with room.feed_stream() as readers:
        assert room.decide(created["id"], "restore").status_code == 200
        back = next_of(readers, "post.created").json["post"]
    assert back["id"] == created["id"] and back["status"] == "published"
    assert room.decide(created["id"], "restore").status_code == 409  # nothing to restore


def test_removal_erases_the_text_and_a_deleted_post_is_not_replayed(live: str, room: Room) -> None:
    from backchannel.feed.models import Post

    removed = room.post(room.conference.attendee, "Call me at 555-123-4567", confirm=True).json()
    assert room.decide(removed["id"], "remove").status_code == 400  # a reason is required
    assert room.decide(removed["id"], "remove", reason="private_info").status_code == 200
    row = Post.objects.get(pk=removed["id"])
    assert row.status == "removed" and row.body == "" and row.body_html == ""

    deleted = room.post(room.conference.attendee, "Something I regret").json()
    with room.api(room.conference.attendee) as client:
        assert client.delete(f"/api/v1/posts/{deleted['id']}").status_code == 204
    raw = [e.data for e in replay_all(room)]
    assert raw and not any("555-123-4567" in d or "I regret" in d for d in raw)


def test_pre_moderation_holds_posts_until_approved(live: str, room: Room) -> None:
    with room.api(room.facilitator) as client:
        settings = client.put(
            f"/api/v1/sessions/{room.session.pk}/moderation",
            json={"premoderated": True, "slow_mode_seconds": 0},
        )
    assert settings.status_code == 200
    with room.feed_stream() as readers, room.mod_stream() as queue:
        held = room.post(room.conference.attendee, "A question for the panel")
        assert held.status_code == 202 and held.json()["status"] == "held"
        item = next_of(queue, "queue.item").json
        assert item["post_id"] == held.json()["id"]
        # The facilitator's own post is not held.
        own = room.post(room.facilitator, "Welcome, everyone")
        assert own.status_code == 201
        first = next_of(readers, "post.created").json["post"]
        assert first["id"] == own.json()["id"]  # the held one did not go out
        with http.client(room.live) as anonymous:
            listed = anonymous.get(f"/api/v1/sessions/{room.session.pk}/posts").json()["posts"]
        assert [p["id"] for p in listed] == [own.json()["id"]]

        assert room.decide(held.json()["id"], "dismiss").status_code == 409  # needs a decision
        assert room.decide(held.json()["id"], "approve").status_code == 200
        approved = next_of(readers, "post.created").json["post"]
        assert approved["id"] == held.json()["id"]
        closed = next_of(queue, "queue.closed").json
        assert closed["post_id"] == held.json()["id"] and closed["outcome"] == "approved"
    kinds = [n["kind"] for n in room.notices(room.conference.attendee)]
    assert kinds == ["approved", "held"]
    assert room.queue() == []


def test_slow_mode_answers_429_with_retry_after_but_retries_still_return_the_post(
    room: Room,
) -> None:
    with room.api(room.facilitator) as client:
        client.put(
            f"/api/v1/sessions/{room.session.pk}/moderation",
            json={"premoderated": False, "slow_mode_seconds": 30},
        )
    first = room.post(room.conference.attendee, "One", client_id="slow-1")
    assert first.status_code == 201
    second = room.post(room.conference.attendee, "Two", client_id="slow-2")
    assert second.status_code == 429
    assert second.json()["code"] == "slow_mode"
    assert 1 <= int(second.headers["Retry-After"]) <= 30
    retry = room.post(room.conference.attendee, "One", client_id="slow-1")
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]
    assert room.post(room.facilitator, "Staff are exempt").status_code == 201
    assert room.post(room.facilitator, "Still exempt").status_code == 201
    with room.api(room.facilitator) as client:
        bad = client.put(
            f"/api/v1/sessions/{room.session.pk}/moderation",
            json={"premoderated": False, "slow_mode_seconds": -1},
        )
    assert bad.status_code == 422


def test_word_filters_block_hold_and_flag(room: Room) -> None:
    from backchannel.feed.models import Post

    with room.api(room.facilitator) as client:
        for term, action in (("crud", "block"), ("Acme Pills", "hold"), ("rival", "flag")):
            response = client.post(
                "/api/v1/events/conf/word-filters", json={"term": term, "action": action}
            )
            assert response.status_code == 201
        duplicate = client.post(
            "/api/v1/events/conf/word-filters", json={"term": "crud", "action": "flag"}
        )
        assert duplicate.status_code == 409
    before = Post.objects.count()
    blocked = room.post(room.conference.attendee, "What a load of CRUD.")
    assert blocked.status_code == 400 and blocked.json()["code"] == "blocked_term"
    assert "crud" in blocked.json()["detail"]
    assert Post.objects.count() == before
    assert room.post(room.conference.attendee, "cruddy but fine").status_code == 201
    held = room.post(room.conference.attendee, "Try acme pills today")
    assert held.status_code == 202
    flagged = room.post(room.conference.attendee, "Our rival did it better")
    assert flagged.status_code == 201
    signals = {item["post"]["id"]: item["signals"] for item in room.queue()}
    assert signals == {held.json()["id"]: ["held", "filter"], flagged.json()["id"]: ["filter"]}


def test_crisis_language_alerts_facilitators_urgently(live: str, room: Room) -> None:
    with room.mod_stream() as queue:
        response = room.post(room.conference.attendee, "honestly I want to end my life")
        assert response.status_code == 201  # crisis language never blocks
        item = next_of(queue, "queue.item").json
    assert item["urgent"] is True and item["post_id"] == response.json()["id"]
    # The author's answer carries crisis resources (the stream's copy of the post does not).
    support = response.json()["crisis_support"]
    assert support["about"] == "self" and support["lines"] and "988" in support["lines"][0]
    calm = room.post(room.conference.attendee, "Call me at 555-123-4567", confirm=True)
    assert calm.json()["crisis_support"] is None
    queue_items = room.queue()
    assert [i["post"]["id"] for i in queue_items] == [response.json()["id"], calm.json()["id"]]
    assert queue_items[0]["crisis_about"] == "self"
    assert queue_items[1]["signals"] == ["caution"] and queue_items[1]["crisis_about"] is None
    assert queue_items[1]["details"] == ["caution: contact_info"]


def test_the_queue_says_who_may_be_at_risk_and_only_what_happened(room: Room) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    friend = room.post(
        room.conference.attendee,
        "My colleague just messaged that she has a plan to end her life tonight. What do I do?",
    )
    danger = room.post(
        room.conference.attendee, "My ex is in the lobby and he said he'll kill me if I stay."
    )
    assert friend.json()["crisis_support"]["about"] == "someone_else"
    assert "emergency services" in friend.json()["crisis_support"]["intro"]
    assert danger.json()["crisis_support"]["about"] == "danger"
    about = {i["post"]["id"]: i["crisis_about"] for i in room.queue()}
    assert about[friend.json()["id"]] == "someone_else"
    assert about[danger.json()["id"]] == "danger"

    page = PageSession(room.live)
    page.login("fran", PASSWORD)
    html = page.get("/e/conf/moderation/").text
    page.close()
    assert "Crisis: someone they know may be at risk" in html
    assert "Crisis: someone may be in danger" in html
    assert "writing about someone else at risk" in html
    assert "Backchannel sent them crisis resources with the answer to their post." in html
    assert "as they typed" not in html  # it says only what happened


def test_mute_stops_posting_but_not_reading_or_reacting(room: Room) -> None:
    attendee = room.conference.attendee
    target = room.post(room.facilitator, "Something to like").json()
    with room.api(room.facilitator) as client:
        missing_minutes = client.post(
            "/api/v1/events/conf/sanctions",
            json={"handle": "ada", "kind": "mute", "reason": "off_topic"},
        )
        assert missing_minutes.status_code == 400
        muted = client.post(
            "/api/v1/events/conf/sanctions",
            json={"handle": "ada", "kind": "mute", "reason": "off_topic", "minutes": 30},
        )
    assert muted.status_code == 201 and muted.json()["ends_at"] is not None
    refused = room.post(attendee, "Can I still post?")
    assert refused.status_code == 403 and refused.json()["code"] == "muted"
    assert "until" in refused.json()["detail"]
    with room.api(attendee) as client:
        assert client.put(f"/api/v1/posts/{target['id']}/reactions/like").status_code == 200
        assert client.get(f"/api/v1/sessions/{room.session.pk}/posts").status_code == 200
    with room.api(room.facilitator) as client:
        lifted = client.post(f"/api/v1/sanctions/{muted.json()['id']}/lift", json={})
        assert lifted.status_code == 200
        assert (
            client.post(f"/api/v1/sanctions/{muted.json()['id']}/lift", json={}).status_code == 409
        )
    assert room.post(attendee, "Back again").status_code == 201
    kinds = [n["kind"] for n in room.notices(attendee)]
    assert kinds == ["lifted", "muted"]


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_suspension_closes_open_streams_and_refuses_new_ones(live: str, room: Room) -> None:
    attendee = room.conference.attendee
    headers = {"Authorization": f"Bearer {attendee.token}"}
    url = f"{room.live}/api/v1/sessions/{room.session.pk}/stream"
    errors = _Errors()  # a stream the server ends is a normal close, not an error in the log
    logging.getLogger("uvicorn.error").addHandler(errors)
    with SSEStream(url, headers=headers) as mine, SSEStream(url) as anonymous:
        assert mine.response.status_code == 200
        with room.api(room.facilitator) as client:
            response = client.post(
                "/api/v1/events/conf/sanctions",
                json={"handle": "ada", "kind": "suspend", "reason": "harassment"},
            )
        assert response.status_code == 201
        with pytest.raises(EOFError):
            for _ in range(20):
                mine.next(5)
        # Other readers are untouched.
        room.post(room.facilitator, "Still going")
        assert next_of(anonymous, "post.created").json["post"]["body"] == "Still going"
    logging.getLogger("uvicorn.error").removeHandler(errors)
    assert not [m for m in errors.messages if "without completing response" in m]
    again = http.get(url, headers=headers, timeout=5)
    assert again.status_code == 403 and again.json()["code"] == "suspended"
    assert room.post(attendee, "Let me in").status_code == 403
    # A ban cannot be undone by joining again.
    with room.api(room.facilitator) as client:
        client.post(
            "/api/v1/events/conf/sanctions",
            json={"handle": "ada", "kind": "ban", "reason": "harassment"},
        )
    with room.api(attendee) as client:
        rejoin = client.post("/api/v1/events/conf/join", json={"code": ""})
    assert rejoin.status_code == 403 and rejoin.json()["code"] == "banned"


def test_organisers_cannot_be_restricted_and_facilitators_only_by_organisers(
    room: Room, make_person: Any
) -> None:
    from backchannel.events.models import Registration

    other = make_person("felix")
    Registration.objects.create(event=room.conference.event, user=other.user, role="facilitator")
    with room.api(room.facilitator) as client:
        for handle in ("olive", "felix", "fran"):
            response = client.post(
                "/api/v1/events/conf/sanctions",
                json={"handle": handle, "kind": "suspend", "reason": "other"},
            )
            assert response.status_code == 403, handle
        unknown = client.post(
            "/api/v1/events/conf/sanctions",
            json={"handle": "nobody_here", "kind": "suspend", "reason": "other"},
        )
        assert unknown.status_code == 404
    with room.api(room.conference.organiser) as client:
        response = client.post(
            "/api/v1/events/conf/sanctions",
            json={"handle": "felix", "kind": "mute", "reason": "other", "minutes": 5},
        )
    assert response.status_code == 201


def test_an_appeal_is_heard_once_and_granting_restores_the_post(live: str, room: Room) -> None:
    attendee = room.conference.attendee
    created = room.post(attendee, "Perfectly fine post").json()
    room.decide(created["id"], "hide", reason="off_topic")
    [notice] = room.notices(attendee)
    with room.mod_stream() as queue:
        with room.api(attendee) as client:
            appeal = client.post(
                f"/api/v1/decisions/{notice['decision_id']}/appeal",
                json={"text": "It was on topic: the speaker asked for it."},
            )
            twice = client.post(
                f"/api/v1/decisions/{notice['decision_id']}/appeal", json={"text": "Again"}
            )
        assert appeal.status_code == 201 and twice.status_code == 403
        assert next_of(queue, "appeal.created").json["appeal_id"] == appeal.json()["id"]
    with room.api(room.facilitator) as client:
        decided = client.post(
            f"/api/v1/appeals/{appeal.json()['id']}/decision",
            json={"grant": True, "response": "You are right, sorry."},
        )
        assert decided.status_code == 200 and decided.json()["outcome"] == "granted"
        again = client.post(
            f"/api/v1/appeals/{appeal.json()['id']}/decision", json={"grant": False}
        )
        assert again.status_code == 409
    with http.client(room.live) as anonymous:
        assert anonymous.get(f"/api/v1/posts/{created['id']}").status_code == 200
    latest = room.notices(attendee)[0]
    assert latest["kind"] == "appeal_granted" and "You are right" in latest["message"]


def test_transparency_counts_without_content(room: Room) -> None:
    attendee = room.conference.attendee
    one = room.post(attendee, "Unique words zebra quartz").json()
    two = room.post(attendee, "More unique words lantern").json()
    with room.api(room.conference.outsider) as client:
        client.post(f"/api/v1/posts/{one['id']}/reports", json={"reason": "spam"})
    room.decide(one["id"], "hide", reason="spam")
    room.decide(two["id"], "remove", reason="harassment")
    with http.client(room.live) as anonymous:
        counts = anonymous.get("/api/v1/events/conf/moderation/transparency").json()
        page = anonymous.get("/e/conf/transparency/")
    rows = {r["reason"]: (r["reports"], r["hidden"], r["removed"]) for r in counts["rows"]}
    assert rows == {"spam": (1, 1, 0), "harassment": (0, 0, 1)}
    assert counts["totals"] == {"reports": 1, "hidden": 1, "removed": 1}
    assert page.status_code == 200
    assert "zebra" not in page.text and "lantern" not in page.text and "ada" not in page.text
    assert "Spam or advertising" in page.text


def test_the_moderation_pages_work_without_javascript(room: Room) -> None:
    from backchannel.feed.models import Post

    created = room.post(room.conference.attendee, "Report me please").json()
    reporter = PageSession(room.live)
    reporter.login("otto", "correct-horse-battery")
    form = reporter.get(f"/posts/{created['id']}/report/")
    assert form.status_code == 200 and "Report me please" in form.text
    bad = reporter.submit(f"/posts/{created['id']}/report/", {"reason": "bogus"})
    assert bad.status_code == 400
    sent = reporter.submit(f"/posts/{created['id']}/report/", {"reason": "spam", "note": "ad"})
    assert sent.status_code == 302

    facilitator = PageSession(room.live)
    facilitator.login("fran", "correct-horse-battery")
    queue = facilitator.get("/e/conf/moderation/")
    assert queue.status_code == 200 and "Report me please" in queue.text
    hide = facilitator.submit(
        f"/e/conf/moderation/posts/{created['id']}/decide/",
        {"action": "hide", "reason": "spam"},
        form_page="/e/conf/moderation/",
    )
    assert hide.status_code == 302
    assert Post.objects.get(pk=created["id"]).status == "hidden"
    log = facilitator.get("/e/conf/moderation/log/")
    assert "hid a post" in log.text and "@fran" in log.text

    author = PageSession(room.live)
    author.login("ada", "correct-horse-battery")
    home = author.get("/")
    # The decision is in the notification centre's unread count in the header.
    assert '<span class="count-badge__n">1</span><span class="visually-hidden"> unread' in home.text
    notices = author.get("/notices/")
    assert "A facilitator hid your post" in notices.text and "look again" in notices.text
    # Reading the notices reads the notification about them too.
    assert '<span class="count-badge__n">0</span>' in author.get("/").text
