"""Exports of a session or an event (JSON that re-imports to the same content, CSV safe for
spreadsheets, Markdown, a printable transcript), the consent to be anonymised, and the RSS,
Atom and iCalendar feeds."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from backchannel.archive import exports
from backchannel.archive.importer import import_document
from backchannel.events.models import Event
from backchannel.feed.models import Post
from tests.support import http
from tests.support.feeds import assert_valid_atom

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def talk(base_url: str, conference: Any, make_person: Any) -> dict[str, Any]:
    from backchannel.events.actions import join_event
    from backchannel.moderation.actions import hide_post
    from backchannel.qa import polls
    from backchannel.qa.actions import ask, set_status

    olive, ada = conference.organiser, conference.attendee
    shy = make_person("shy", name="Shy Person")
    shy.user.anonymise_in_exports = True
    shy.user.save()
    join_event(shy.user, conference.event)
    session = conference.session.pk

    def post(person: Any, body: str, **extra: Any) -> dict[str, Any]:
        with person.api(base_url) as client:
            response = client.post(
                f"/api/v1/sessions/{session}/posts", json={"body": body, **extra}
            )
        assert response.status_code == 201, response.text
        return dict(response.json())

    first = post(ada, "Opening thoughts #conf <script>alert(1)</script> **not bold**")
    post(shy, "I agree, quietly", reply_to=first["id"])
    post(olive, "Live notes: slide 3 is about funding", coverage=True)
    post(ada, FORMULA)
    hidden = post(ada, "This will be hidden")
    hide_post(olive.user, Post.objects.get(pk=hidden["id"]), reason="spam")
    with ada.api(base_url) as client:
        client.put(f"/api/v1/posts/{first['id']}/reactions/like")
    answered = ask(ada.user, conference.session, body="Will slides be shared?").question
    set_status(olive.user, answered, status="answered")
    ask(shy.user, conference.session, body="An anonymous worry", anonymous=True)
    poll = polls.create_poll(
        olive.user, conference.session, question="Useful?", kind="single", options=["Yes", "No"]
    )
    polls.set_status(olive.user, poll, status="open")
    polls.answer(ada.user, poll, options=[poll.options.first().pk])
    polls.set_status(olive.user, poll, status="closed")
    return {"first": first}


def _export(live: str, person: Any, path: str) -> httpx.Response:
    with person.api(live) as client:
        return client.get(path)


def test_the_json_export_is_complete_and_honours_consent(
    site: str, conference: Any, talk: dict[str, Any]
) -> None:
    response = _export(site, conference.organiser, "/api/v1/events/conf/export?format=json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = response.json()
    assert document["schema"] == 1 and document["kind"] == "event"
    keynote = next(s for s in document["sessions"] if s["title"] == "Keynote")
    bodies = [p["body"] for p in keynote["posts"]]
    assert "This will be hidden" not in bodies
    assert len(bodies) == 4
    reply = next(p for p in keynote["posts"] if p["body"] == "I agree, quietly")
    assert reply["author"] == {"handle": None, "name": "Attendee 1"}
    assert reply["reply_to"] == talk["first"]["id"]
    first = next(p for p in keynote["posts"] if p["id"] == talk["first"]["id"])
    assert first["author"] == {"handle": "ada", "name": "Ada Attendee"}
    assert first["hashtags"] == ["conf"] and first["likes"] == 1
    assert [(q["body"], q["author"]) for q in keynote["questions"]] == [
        ("Will slides be shared?", {"handle": "ada", "name": "Ada Attendee"}),
        ("An anonymous worry", None),
    ]
    assert keynote["polls"] == [
        {
            "question": "Useful?",
            "kind": "single",
            "answers": 1,
            "results": [{"label": "Yes", "count": 1}, {"label": "No", "count": 0}],
        }
    ]
    assert "shy" not in response.text and "Shy Person" not in response.text


def test_the_json_export_re_imports_to_the_same_content(
    site: str, conference: Any, talk: dict[str, Any]
) -> None:
    conference.event.accent_colour = "#aa3377"  # its colour comes along
    conference.event.save()
    original = exports.event_document(conference.event)
    assert original["event"]["accent_colour"] == "#aa3377"
    imported = import_document(conference.organiser.user, original, slug="conf-copy")
    again = exports.event_document(Event.objects.get(pk=imported.pk))

    def content(document: dict[str, Any]) -> list[Any]:
        sessions = []
        for s in document["sessions"]:
            ids = {p["id"]: n for n, p in enumerate(s["posts"])}
            sessions.append(
                {
                    "title": s["title"],
                    "kind": s["kind"],
                    "starts_at": s["starts_at"],
                    "recording_url": s["recording_url"],
                    "posts": [
                        {
                            **{k: v for k, v in p.items() if k not in ("id", "reply_to")},
                            "reply_to": ids.get(p["reply_to"]),
                        }
                        for p in s["posts"]
                    ],
                    "questions": [
                        {k: v for k, v in q.items() if k != "id"} for q in s["questions"]
                    ],
                }
            )
        return sessions

    assert content(again) == content(original)
    assert again["event"] == {**original["event"], "slug": "conf-copy"}


@pytest.mark.parametrize("bad", [{}, {"schema": 99}, {"schema": 1, "event": {}}, []])
def test_a_damaged_export_is_refused_and_creates_nothing(conference: Any, bad: Any) -> None:
    from backchannel.errors import Invalid

    with pytest.raises(Invalid):
        import_document(conference.organiser.user, bad, slug="broken")
    assert not Event.objects.filter(slug="broken").exists()


def test_csv_markdown_and_the_transcript_are_safe(
    site: str, conference: Any, talk: dict[str, Any]
) -> None:
    organiser = conference.organiser
    table = _export(site, organiser, f"/api/v1/sessions/{conference.session.pk}/export?format=csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    cells = {r["body"] for r in rows}
    assert "'" + FORMULA in cells and FORMULA not in cells
    markdown = _export(site, organiser, "/api/v1/events/conf/export?format=md").text
    assert "\\*\\*not bold\\*\\*" in markdown and "<script>" not in markdown
    assert "## Keynote" in markdown and "  - **Attendee 1**" in markdown
    transcript = _export(site, organiser, "/api/v1/events/conf/export?format=html")
    assert transcript.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;" in transcript.text and "<script>alert" not in transcript.text
    assert "Live notes: slide 3" in transcript.text
    # Times are the event's local times (the Keynote starts at 09:00 UTC: 11:00 in Berlin).
    assert "times in Europe/Berlin" in transcript.text and "2026-07-01 11:00" in transcript.text


def test_exports_are_for_organisers(site: str, conference: Any, talk: dict[str, Any]) -> None:
    assert _export(site, conference.attendee, "/api/v1/events/conf/export").status_code == 403
    assert http.get(f"{site}/api/v1/events/conf/export").status_code == 401
    bad = _export(site, conference.organiser, "/api/v1/events/conf/export?format=pdf")
    assert bad.status_code == 404


def test_rss_and_atom_feeds_of_a_session(site: str, conference: Any, talk: dict[str, Any]) -> None:
    rss = http.get(f"{site}/e/conf/s/{conference.session.pk}/feed.rss")
    assert rss.status_code == 200 and "rss" in rss.headers["content-type"]
    channel = ET.fromstring(rss.content).find("channel")
    assert channel is not None
    titles = [i.findtext("title") for i in channel.findall("item")]
    assert "Ada Attendee: Opening thoughts #conf <script>alert(1)</script> **not bold**" in titles
    assert not any("hidden" in (t or "") for t in titles)
    guids = [i.findtext("guid") or "" for i in channel.findall("item")]
    assert all(g.startswith(site) and "#post-" in g for g in guids), guids
    atom = http.get(f"{site}/e/conf/s/{conference.session.pk}/feed.atom")
    assert atom.status_code == 200
    entries = assert_valid_atom(atom.content)  # an IRI id and <updated> on every entry
    assert len(entries) == 4


def test_the_schedule_as_icalendar(site: str, conference: Any) -> None:
    conference.session.title = "Keynote, with questions; and a very long title that needs folding"
    conference.session.save()
    response = http.get(f"{site}/e/conf/schedule.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert (
        "SUMMARY:Keynote\\, with questions\\; and a very long title that needs folding" in unfolded
    )
    assert "DTSTART:20260701T090000Z" in unfolded
