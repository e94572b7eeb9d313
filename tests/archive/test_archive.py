"""After the event: read-only feeds, the session archive page, recordings, and retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backchannel.archive.actions import purge_expired
from backchannel.feed.models import Post
from backchannel.qa.models import Question
from tests.conftest import PASSWORD
from tests.support import http
from tests.support.web import PageSession


def _read_only(conference: Any) -> None:
    conference.event.after_event = "read_only"
    conference.event.save(update_fields=["after_event"])


def test_a_read_only_event_refuses_every_write_and_changes_nothing(
    site: str, conference: Any
) -> None:
    from backchannel.qa.actions import ask

    with conference.attendee.api(site) as client:
        post = client.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Before the end"}
        ).json()
    question = ask(conference.organiser.user, conference.session, body="Anything else?").question
    _read_only(conference)  # the conference ended in July
    with conference.attendee.api(site) as client:
        refused = [
            client.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Late"}),
            client.post(
                f"/api/v1/sessions/{conference.session.pk}/questions",
                json={"body": "A late question?"},
            ),
            client.put(f"/api/v1/posts/{post['id']}/reactions/like"),
            client.post(f"/api/v1/questions/{question.pk}/vote"),
        ]
        assert [r.status_code for r in refused] == [403, 403, 403, 403]
        assert refused[0].json()["code"] == "read_only"
        assert "read-only archive" in refused[0].json()["detail"]
        event = client.get("/api/v1/events/conf").json()
        assert event["read_only"] is True and event["after_event"] == "read_only"
    assert Post.objects.count() == 1 and Question.objects.count() == 1
    assert Post.objects.get().like_count == 0
    page = PageSession(site)
    page.login("ada", PASSWORD)
    room = page.get(f"/e/conf/s/{conference.session.pk}/").text
    assert "kept as a read-only archive" in room and 'id="composer"' not in room


def test_feeds_kept_open_still_take_posts(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as client:
        response = client.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Still talking"}
        )
    assert response.status_code == 201
    assert "The feeds stay open after the event." in http.get(f"{site}/e/conf/").text


def test_an_event_that_has_not_ended_is_not_read_only_yet(site: str, conference: Any) -> None:
    today = dt.date.today()
    conference.event.ends_on = today + dt.timedelta(days=1)
    conference.event.after_event = "read_only"
    conference.event.save()
    with conference.attendee.api(site) as client:
        response = client.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "During"}
        )
    assert response.status_code == 201
    assert "When the event ends, its feeds become" in http.get(f"{site}/e/conf/").text


def test_the_archive_page_holds_the_whole_session_and_nothing_taken_down(
    site: str, conference: Any, make_person: Any
) -> None:
    from backchannel.events.actions import update_session
    from backchannel.moderation.actions import hide_post
    from backchannel.qa import polls
    from backchannel.qa.actions import ask, set_status

    organiser = conference.organiser
    session = conference.session
    with conference.attendee.api(site) as client:
        first = client.post(
            f"/api/v1/sessions/{session.pk}/posts", json={"body": "First thought #conf"}
        ).json()
        client.post(
            f"/api/v1/sessions/{session.pk}/posts",
            json={"body": "A reply to myself", "reply_to": first["id"]},
        )
        hidden = client.post(
            f"/api/v1/sessions/{session.pk}/posts", json={"body": "Something hidden later"}
        ).json()
        deleted = client.post(
            f"/api/v1/sessions/{session.pk}/posts", json={"body": "Something I deleted"}
        ).json()
        client.delete(f"/api/v1/posts/{deleted['id']}")
    with organiser.api(site) as client:
        client.post(
            f"/api/v1/sessions/{session.pk}/posts",
            json={"body": "Official notes from the keynote", "coverage": True},
        )
    hide_post(organiser.user, Post.objects.get(pk=hidden["id"]), reason="spam")
    answered = ask(conference.attendee.user, session, body="Will slides be shared?").question
    set_status(organiser.user, answered, status="answered")
    ask(conference.attendee.user, session, body="An open question")
    poll = polls.create_poll(
        organiser.user, session, question="Useful?", kind="single", options=["Yes", "No"]
    )
    polls.set_status(organiser.user, poll, status="open")
    polls.answer(conference.attendee.user, poll, options=[poll.options.first().pk])
    polls.set_status(organiser.user, poll, status="closed")
    update_session(
        organiser.user,
        session,
        title=session.title,
        kind=session.kind,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        recording_url="videos.example.org/keynote",
    )

    page = http.get(f"{site}/e/conf/s/{session.pk}/archive/")
    assert page.status_code == 200
    html = page.text
    for shown in (
        "First thought",
        "A reply to myself",
        "Official notes from the keynote",
        "Will slides be shared?",
        "Useful?",
        'href="https://videos.example.org/keynote"',
    ):
        assert shown in html, shown
    for gone in ("Something hidden later", "Something I deleted", "An open question"):
        assert gone not in html, gone
    assert html.index("First thought") < html.index("A reply to myself")
    assert page.headers["cache-control"] == "public, max-age=60"
    api = http.get(f"{site}/api/v1/events/conf").json()
    keynote = next(s for s in api["sessions"] if s["id"] == session.pk)
    assert keynote["recording_url"] == "https://videos.example.org/keynote"
    assert keynote["archive_url"] == f"/e/conf/s/{session.pk}/archive/"


def test_bad_after_event_settings_are_refused(site: str, conference: Any) -> None:
    from backchannel.errors import Invalid
    from backchannel.events.actions import update_event, update_session

    base = {
        "name": "Test Conference",
        "starts_on": conference.event.starts_on,
        "ends_on": conference.event.ends_on,
    }
    for bad in ({"after_event": "frozen"}, {"retention_days": -1}, {"retention_days": "soon"}):
        with pytest.raises(Invalid):
            update_event(conference.organiser.user, conference.event, **base, **bad)
    with pytest.raises(Invalid):
        update_session(
            conference.organiser.user,
            conference.session,
            title="Keynote",
            kind="plenary",
            starts_at=conference.session.starts_at,
            ends_at=conference.session.ends_at,
            recording_url="javascript:alert(1)",
        )
    conference.event.refresh_from_db()
    assert conference.event.after_event == "open" and conference.event.retention_days is None


def test_the_conversation_is_purged_after_the_retention_period(site: str, conference: Any) -> None:
    from backchannel.qa.actions import ask
    from backchannel.realtime.models import StreamEvent

    with conference.attendee.api(site) as client:
        client.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Bye"})
    ask(conference.attendee.user, conference.session, body="Last question?")
    conference.event.retention_days = 30
    conference.event.save(update_fields=["retention_days"])
    ends = conference.event.ends_on
    assert "deleted on 2 August 2026" in http.get(f"{site}/e/conf/").text
    assert purge_expired(today=ends + dt.timedelta(days=30)) == []
    assert Post.objects.count() == 1
    assert purge_expired(today=ends + dt.timedelta(days=31)) == ["conf"]
    assert Post.objects.count() == 0 and Question.objects.count() == 0
    assert not StreamEvent.objects.filter(topic=f"session:{conference.session.pk}").exists()
    # The event and its schedule stay; the archive says what happened.
    archive = http.get(f"{site}/e/conf/s/{conference.session.pk}/archive/").text
    assert "deleted as the event's organisers chose" in archive
    # Nothing left: the next run has nothing to do.
    assert purge_expired(today=ends + dt.timedelta(days=40)) == []
