"""Organisers build an event through the product's pages; attendees see the schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from backchannel.events import actions
from backchannel.events.models import Event, Session
from backchannel.events.queries import schedule
from tests.conftest import PASSWORD
from tests.support import http
from tests.support.web import PageSession


def test_organiser_creates_event_room_and_session_through_pages(
    site: str, make_person: Any
) -> None:
    make_person("org")
    make_person("speaker", name="Sam Speaker")
    page = PageSession(site)
    page.login("org", PASSWORD)
    created = page.submit(
        "/events/new/",
        {
            "name": "Summer Institute",
            "slug": "summer",
            "hashtag": "#summer26",
            "starts_on": "2026-07-01",
            "ends_on": "2026-07-02",
            "timezone": "America/Chicago",
            "access": "public",
        },
    )
    assert created.status_code == 302 and created.headers["location"] == "/e/summer/manage/"
    event = Event.objects.get(slug="summer")
    assert event.hashtag == "summer26"
    assert (
        page.submit(
            "/e/summer/manage/rooms/", {"room-name": "Hall A"}, form_page="/e/summer/manage/"
        ).status_code
        == 302
    )
    room = event.rooms.get()
    saved = page.submit(
        "/e/summer/manage/sessions/new/",
        {
            "title": "Opening",
            "kind": "plenary",
            "starts_at": "2026-07-01T09:00",
            "ends_at": "2026-07-01T10:30",
            "room_id": str(room.pk),
            "presenters": "@speaker",
            "abstract": "Welcome.",
        },
    )
    assert saved.status_code == 302, saved.text[:2000]
    session = event.sessions.get(title="Opening")
    # The form's times are the event's local times (Chicago is UTC-5 in July).
    assert session.starts_at == dt.datetime(2026, 7, 1, 14, 0, tzinfo=dt.UTC)
    assert [p.username for p in session.presenters.all()] == ["speaker"]
    schedule_page = http.get(f"{site}/e/summer/").text
    assert "Opening" in schedule_page and "09:00" in schedule_page and "Hall A" in schedule_page
    assert "Sam Speaker" in schedule_page


def test_session_form_reports_errors_and_saves_nothing(site: str, conference: Any) -> None:
    page = PageSession(site)
    page.login("olive", PASSWORD)
    response = page.submit(
        "/e/conf/manage/sessions/new/",
        {
            "title": "Backwards",
            "kind": "workshop",
            "starts_at": "2026-07-01T10:00",
            "ends_at": "2026-07-01T09:00",
            "presenters": "@nobody",
        },
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.text
    assert not Session.objects.filter(title="Backwards").exists()


def test_only_organisers_reach_the_manage_pages(site: str, conference: Any) -> None:
    page = PageSession(site)
    page.login("ada", PASSWORD)
    assert page.get("/e/conf/manage/").status_code == 403
    with conference.attendee.api(site) as api:
        response = api.post(
            "/api/v1/events/conf/sessions",
            json={
                "title": "x",
                "starts_at": "2026-07-01T10:00:00Z",
                "ends_at": "2026-07-01T11:00:00Z",
            },
        )
        assert response.status_code == 403
    anonymous = http.get(f"{site}/e/conf/manage/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["location"]


def test_joining_from_the_event_page(site: str, conference: Any) -> None:
    page = PageSession(site)
    page.login("otto", PASSWORD)
    assert "Join this event" in page.get("/e/conf/").text
    assert page.submit("/e/conf/join/", {}, form_page="/e/conf/").status_code == 302
    assert "You\u2019re in" in page.get("/e/conf/").text
    room = page.get(f"/e/conf/s/{conference.session.pk}/").text
    assert 'id="composer"' in room


def test_schedule_shows_now_and_next(db: Any, conference: Any) -> None:
    now = timezone.now()
    event = conference.event

    def add(title: str, start: dt.timedelta, length: dt.timedelta) -> None:
        actions.create_session(
            conference.organiser.user,
            event,
            title=title,
            starts_at=now + start,
            ends_at=now + start + length,
        )

    add("Happening", -dt.timedelta(minutes=10), dt.timedelta(hours=1))
    add("Soon A", dt.timedelta(hours=1), dt.timedelta(hours=1))
    add("Soon B", dt.timedelta(hours=1), dt.timedelta(hours=1))
    add("Later", dt.timedelta(hours=3), dt.timedelta(hours=1))
    result = schedule(event, at=now)
    assert [s.title for s in result.now] == ["Happening"]
    assert sorted(s.title for s in result.next) == ["Soon A", "Soon B"]
    all_titles = [s.title for day in result.days for s in day.sessions]
    assert "Lobby" not in all_titles and "Keynote" in all_titles


def test_event_page_shows_now_section(site: str, conference: Any) -> None:
    now = timezone.now()
    actions.create_session(
        conference.organiser.user,
        conference.event,
        title="Live right now",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=55),
    )
    text = http.get(f"{site}/e/conf/").text
    now_section = text[text.index('aria-label="Now and next"') :]
    assert "Live right now" in now_section[: now_section.index("</section>")]


def test_join_code_event_page_asks_for_the_code(site: str, conference: Any) -> None:
    actions.create_event(
        conference.organiser.user,
        slug="closed",
        name="Closed Event",
        access="code",
        join_code="OPEN-SESAME",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 1),
    )
    anonymous = http.get(f"{site}/e/closed/").text
    assert "needs a join code" in anonymous and "Closed Event" not in anonymous
    page = PageSession(site)
    page.login("ada", PASSWORD)
    page.submit("/e/closed/join/", {"code": "wrong"}, form_page="/e/closed/")
    assert "needs a join code" in page.get("/e/closed/").text
    page.submit("/e/closed/join/", {"code": "open-sesame"}, form_page="/e/closed/")
    assert "Lobby feed" in page.get("/e/closed/").text


def test_going_to_a_public_event_from_the_home_page_needs_no_account(
    site: str, conference: Any
) -> None:
    """Signed out, "Go" opens a public event to read (saying what needs an account) instead
    of asking to sign in; a join-code event asks for its code after signing in."""
    actions.create_event(
        conference.organiser.user,
        slug="closed",
        name="Closed Event",
        access="code",
        join_code="OPEN-SESAME",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 1),
    )
    visitor = PageSession(site)
    home = visitor.get("/").text
    assert "Public events can be read without an account" in home
    went = visitor.submit("/join/", {"event": "conf", "code": ""}, form_page="/")
    assert went.status_code == 302 and went.headers["location"] == "/e/conf/"
    page = visitor.get("/e/conf/")
    assert page.status_code == 200 and "Test Conference" in page.text
    assert "Anyone can read Test Conference" in page.text  # the message, once
    assert "To post, ask, vote or answer, sign in" in page.text
    closed = visitor.submit("/join/", {"event": "closed", "code": ""}, form_page="/")
    assert closed.headers["location"] == "/e/closed/"
    assert "Sign in to enter the code" in visitor.get("/e/closed/").text
