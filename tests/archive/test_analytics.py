"""The organisers' dashboards: what they count (over HTTP, as the page and the API show it),
whom they name, the peak of people watching (from streams really open on the server), and the
CSV export."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from typing import Any

import pytest

from backchannel.archive.actions import record_viewers
from backchannel.archive.analytics import UNNAMED
from backchannel.archive.census import PROCESS, take_census
from backchannel.archive.models import ViewerCount
from backchannel.feed.models import Post
from backchannel.qa.models import Question
from backchannel.realtime.hub import hub
from tests.conftest import PASSWORD
from tests.support.sse import SSEStream
from tests.support.wait import wait_for_subscribers
from tests.support.web import PageSession

START = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)  # the Keynote, 09:00-10:00 UTC


@pytest.fixture
def keynote(base_url: str, conference: Any, make_person: Any) -> dict[str, Any]:
    """A Keynote with posts at 09:05 and 09:30, questions, a poll, a report and a hidden post."""
    from backchannel.events.actions import join_event
    from backchannel.moderation.actions import hide_post, report_post
    from backchannel.qa import polls
    from backchannel.qa.actions import ask, set_status

    olive, ada = conference.organiser, conference.attendee
    shy = make_person("shy", name="Shy Person", anonymise_in_exports=True)
    join_event(shy.user, conference.event)
    session = conference.session

    def post(person: Any, body: str) -> int:
        with person.api(base_url) as client:
            response = client.post(f"/api/v1/sessions/{session.pk}/posts", json={"body": body})
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    early = [post(ada, "Great start #conf #care"), post(ada, "Slides? #conf")]
    early.append(post(shy, "Quietly agreeing #care"))
    late = [post(ada, "Wrapping up #conf"), post(shy, "Thanks all")]
    hidden = post(ada, "This one will be hidden")
    Post.objects.filter(pk__in=[*early, hidden]).update(created_at=START + dt.timedelta(minutes=5))
    Post.objects.filter(pk__in=late).update(created_at=START + dt.timedelta(minutes=30))
    report_post(shy.user, Post.objects.get(pk=hidden), reason="spam")
    hide_post(olive.user, Post.objects.get(pk=hidden), reason="spam")
    with shy.api(base_url) as client:
        client.put(f"/api/v1/posts/{early[0]}/reactions/like")

    answered = ask(ada.user, session, body="Will the slides be shared?").question
    set_status(olive.user, answered, status="answered")
    ask(shy.user, session, body="Something I would rather ask quietly", anonymous=True)
    ask(ada.user, session, body="What comes next?")
    Question.objects.filter(session=session).update(created_at=START + dt.timedelta(minutes=20))

    poll = polls.create_poll(
        olive.user, session, question="=1+1 useful?", kind="single", options=["Yes", "No"]
    )
    polls.set_status(olive.user, poll, status="open")
    polls.answer(ada.user, poll, options=[poll.options.first().pk])
    polls.answer(shy.user, poll, options=[poll.options.last().pk])
    return {"session": session, "shy": shy}


def _signed_in(live: str, person: Any) -> PageSession:
    page = PageSession(live)
    page.login(person.user.username, PASSWORD)
    return page


def _report(live: str, person: Any, path: str) -> Any:
    with person.api(live) as client:
        response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_session_dashboard_counts_what_happened(
    site: str, conference: Any, keynote: dict[str, Any]
) -> None:
    report = _report(
        site, conference.organiser, f"/api/v1/sessions/{conference.session.pk}/analytics"
    )
    totals = report["totals"]
    assert totals["posts"] == 6 and totals["published"] == 5
    assert totals["questions"] == 3 and totals["reactions"] == 1
    assert totals["polls"] == 1 and totals["poll_answers"] == 2
    assert totals["participants"] == 2  # Ada and Shy; the organiser only moderated

    # Minute by minute from 08:45 to 10:15, the session's start and end marked.
    timeline = report["timeline"]
    assert timeline["bucket_minutes"] == 1
    assert len(timeline["labels"]) == 91
    assert timeline["labels"][0] == "10:45"  # Europe/Berlin, the event's time zone
    assert timeline["posts"][20] == 4 and timeline["posts"][45] == 2 and sum(timeline["posts"]) == 6
    assert timeline["questions"][35] == 3
    assert timeline["marks"] == [
        {"index": 15, "label": "Session starts"},
        {"index": 75, "label": "Session ends"},
    ]
    assert timeline["before"] == 0 and timeline["after"] == 0
    assert report["days"] == []  # one chart is enough for a session

    assert report["hashtags"] == [{"tag": "conf", "posts": 3}, {"tag": "care", "posts": 2}]
    assert report["questions"] == {
        "asked": 3,
        "answered": 1,
        "open": 2,
        "waiting": 0,
        "dismissed": 0,
        "merged": 0,
    }
    assert report["polls"][0]["answers"] == 2
    moderation = report["moderation"]
    assert moderation["reports"] == 1 and moderation["hidden"] == 1
    assert {"kind": "Hid a post", "count": 1} in moderation["decisions"]


def test_people_are_named_only_as_they_chose(
    site: str, conference: Any, keynote: dict[str, Any]
) -> None:
    report = _report(
        site, conference.organiser, f"/api/v1/sessions/{conference.session.pk}/analytics"
    )
    people = report["people"]
    assert people[0] == {"name": "Ada Attendee", "handle": "ada", "posts": 4, "questions": 2}
    # Shy asked to be anonymised; their anonymous question is not counted against them.
    assert people[1] == {"name": UNNAMED, "handle": None, "posts": 2, "questions": 0}
    page = _signed_in(site, conference.organiser)
    html = page.get(f"/e/conf/s/{conference.session.pk}/analytics/").text
    assert "Shy Person" not in html and "@shy" not in html
    assert UNNAMED in html and "Ada Attendee" in html


def test_the_event_dashboard_adds_up_its_sessions(
    site: str, conference: Any, keynote: dict[str, Any]
) -> None:
    with conference.attendee.api(site) as client:
        client.post(f"/api/v1/sessions/{conference.other_session.pk}/posts", json={"body": "Hi"})
    report = _report(site, conference.organiser, "/api/v1/events/conf/analytics")
    assert report["totals"]["posts"] == 7 and report["scope"] == "event"
    rows = {row["title"]: row for row in report["sessions"]}
    assert rows["Keynote"]["posts"] == 6 and rows["Workshop"]["posts"] == 1
    assert rows["Keynote"]["questions"] == 3
    # The event's two days in quarter hours; the post written today is after them.
    timeline = report["timeline"]
    assert timeline["bucket_minutes"] == 15 and len(timeline["labels"]) == 192
    assert timeline["labels"][0] == "Wed 00:00" and timeline["labels"][-1] == "Thu 23:45"
    assert sum(timeline["posts"]) == 6 and timeline["after"] == 1
    # Over the whole event that is a few spikes: each day gets a chart of its own, from just
    # before its first session to just after its last, in five-minute steps.
    first, second = report["days"]
    assert first["label"] == "Wednesday 1 July" and first["posts"] == 6
    assert first["questions"] == 3
    day = first["timeline"]
    assert day["bucket_minutes"] == 5
    assert day["labels"][0] == "10:45" and day["labels"][-1] == "14:15"  # Europe/Berlin
    assert sum(day["posts"]) == 6 and day["posts"][4] == 4 and day["posts"][9] == 2
    assert second == {
        "date": "2026-07-02",
        "label": "Thursday 2 July",
        "posts": 0,
        "questions": 0,
        "timeline": {**second["timeline"], "labels": [], "posts": []},
    }
    page = _signed_in(site, conference.organiser)
    response = page.get("/e/conf/analytics/")
    assert response.status_code == 200
    assert 'id="chart-sessions"' in response.text and "analytics-data" in response.text
    assert 'id="chart-day-0"' in response.text and 'id="chart-day-1"' not in response.text
    assert "Nothing scheduled and nothing written on this day" in response.text
    assert 'id="chart-activity"' not in response.text


def test_the_csv_is_complete_and_safe_in_a_spreadsheet(
    site: str, conference: Any, keynote: dict[str, Any]
) -> None:
    page = _signed_in(site, conference.organiser)
    response = page.get(f"/e/conf/s/{conference.session.pk}/analytics.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["section", "item", "value"]
    assert ["totals", "posts", "6"] in rows
    assert ["hashtags", "#conf", "3"] in rows
    assert ["most active: posts", "ada", "4"] in rows
    assert ["most active: posts", UNNAMED, "2"] in rows
    # The poll's question starts with "=": a spreadsheet must read it as text.
    assert ["poll answers", "'=1+1 useful?", "2"] in rows
    assert ["posts per bucket", (START + dt.timedelta(minutes=5)).isoformat(), "4"] in rows
    assert ["posts per bucket", (START + dt.timedelta(minutes=6)).isoformat(), "0"] in rows


def test_the_dashboards_are_for_organisers(
    site: str, conference: Any, keynote: dict[str, Any]
) -> None:
    session = conference.session.pk
    for person, status in ((conference.attendee, 403), (conference.outsider, 403)):
        with person.api(site) as client:
            assert client.get(f"/api/v1/sessions/{session}/analytics").status_code == status
            assert client.get("/api/v1/events/conf/analytics").status_code == status
        page = _signed_in(site, person)
        assert page.get("/e/conf/analytics/").status_code == status
        assert page.get(f"/e/conf/s/{session}/analytics.csv").status_code == status
    page = _signed_in(site, conference.organiser)
    # A session of another event is not reachable through this event's address.
    assert page.get("/e/conf/s/999999/analytics/").status_code == 404
    # The "Dashboard of" picker works without JavaScript.
    picked = page.get(f"/e/conf/analytics/?session={session}")
    assert picked.status_code == 302
    assert picked.headers["location"] == f"/e/conf/s/{session}/analytics/"
    assert page.get("/e/conf/analytics/?session=999999").status_code == 404


def _census() -> int:
    assert hub.loop is not None
    return asyncio.run_coroutine_threadsafe(take_census(hub), hub.loop).result(timeout=10)


def test_peak_viewers_are_the_streams_that_were_open(live: str, conference: Any) -> None:
    keynote, workshop = conference.session, conference.other_session
    _census()  # forget what earlier tests left in this process
    ViewerCount.objects.all().delete()

    streams = [SSEStream(f"{live}/api/v1/sessions/{keynote.pk}/stream") for _ in range(3)]
    streams.append(SSEStream(f"{live}/api/v1/sessions/{workshop.pk}/stream"))
    try:
        wait_for_subscribers(keynote.topic, 3)
        wait_for_subscribers(workshop.topic, 1)
        for stream in streams[1:3]:
            stream.close()
        wait_for_subscribers(keynote.topic, 1)
        # These two feeds at least (a stream an earlier test left open may still be counted).
        assert _census() >= 2
    finally:
        for stream in streams:
            stream.close()

    # Three people watched the Keynote at once, though only one was left at the census.
    rows = {row.topic: row for row in ViewerCount.objects.all()}
    assert rows[keynote.topic].peak == 3 and rows[workshop.topic].peak == 1
    assert rows[keynote.topic].process == PROCESS

    # Two server processes in one minute of the session: their counts add up, and a later
    # census in the same minute with fewer viewers keeps the minute's peak.
    during = START + dt.timedelta(minutes=10, seconds=20)
    record_viewers({keynote.topic: 3}, during, PROCESS)
    record_viewers({keynote.topic: 4}, during, "other-host:1")
    record_viewers({keynote.topic: 1}, during + dt.timedelta(seconds=30), PROCESS)
    report = _report(live, conference.organiser, f"/api/v1/sessions/{keynote.pk}/analytics")
    assert report["totals"]["peak_viewers"] == 7
    assert report["timeline"]["viewers"][25] == 7 and max(report["timeline"]["viewers"]) == 7
    event = _report(live, conference.organiser, "/api/v1/events/conf/analytics")
    rows_by_title = {row["title"]: row for row in event["sessions"]}
    assert rows_by_title["Keynote"]["peak_viewers"] == 7
    assert rows_by_title["Workshop"]["peak_viewers"] == 1


def test_an_empty_session_has_an_empty_dashboard(site: str, conference: Any) -> None:
    report = _report(
        site, conference.organiser, f"/api/v1/sessions/{conference.lobby.pk}/analytics"
    )
    assert report["totals"]["posts"] == 0 and report["timeline"]["labels"] == []
    page = _signed_in(site, conference.organiser)
    html = page.get(f"/e/conf/s/{conference.lobby.pk}/analytics/").text
    assert "Nothing was written here yet." in html
