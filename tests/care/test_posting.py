"""The caution check on the way out: the API answers 409 with findings until the author
confirms; the page without JavaScript keeps the draft and offers "Post anyway"; in the browser
findings show as the author types (tests/browser/test_caution.py)."""

from __future__ import annotations

from typing import Any

import httpx

CHILD = "Jamie (12) was placed in foster care last spring."


def posts_of(api: httpx.Client, session: Any) -> list[str]:
    listed = api.get(f"/api/v1/sessions/{session.pk}/posts?limit=100").json()["posts"]
    return [p["body"] for p in listed]


def test_the_api_asks_to_confirm_and_writes_nothing_until_then(live: str, conference: Any) -> None:
    url = f"/api/v1/sessions/{conference.session.pk}/posts"
    with conference.attendee.api(live) as api:
        held = api.post(url, json={"body": CHILD, "client_id": "care-1"})
        assert held.status_code == 409
        data = held.json()
        assert data["code"] == "caution"
        (finding,) = [f for f in data["caution"] if f["kind"] == "child_identity"]
        assert CHILD[finding["start"] : finding["end"]].startswith("Jamie (12)")
        assert finding["severity"] == "high" and finding["message"]
        assert CHILD not in posts_of(api, conference.session)  # nothing was written

        confirmed = api.post(url, json={"body": CHILD, "client_id": "care-1", "confirm": True})
        assert confirmed.status_code == 201
        again = api.post(url, json={"body": CHILD, "client_id": "care-1", "confirm": True})
        assert again.status_code == 201 and again.json()["id"] == confirmed.json()["id"]
        assert posts_of(api, conference.session).count(CHILD) == 1

        # Crisis language is never blocked; low findings (one's own health) do not ask either.
        for text in ["Honestly I want to die some days.", "I have ADHD and I'm proud of it."]:
            assert api.post(url, json={"body": text}).status_code == 201, text
        assert api.post(url, json={"body": CHILD, "confirm": "maybe"}).status_code == 422


def test_without_javascript_the_draft_comes_back_with_post_anyway(
    live: str, conference: Any
) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    browser = PageSession(live)
    browser.login("ada", PASSWORD)
    room = f"/e/conf/s/{conference.session.pk}/"
    url = f"{room}post/"
    form = {"body": CHILD, "client_id": "care-form"}
    held = browser.submit(url, form, form_page=room)
    assert held.status_code == 409
    assert "Before this goes out" in held.text and "Post anyway" in held.text
    assert ">Jamie (12) was placed in foster care last spring.</textarea>" in held.text
    posted = browser.submit(url, {**form, "confirm": "1"}, form_page=room)
    assert posted.status_code == 302
    browser.close()
    with conference.attendee.api(live) as api:
        assert posts_of(api, conference.session).count(CHILD) == 1


def test_organisers_set_their_events_crisis_resources(live: str, conference: Any) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    room = f"/e/conf/s/{conference.session.pk}/"
    reader = PageSession(live)
    reader.login("ada", PASSWORD)
    default = reader.get(room).text
    assert "988 Suicide &amp; Crisis Lifeline" in default
    assert "any facilitator can help, quietly" in default

    organiser = PageSession(live)
    organiser.login("olive", PASSWORD)
    event = conference.session.event
    saved = organiser.submit(
        "/e/conf/manage/",
        {
            "name": event.name,
            "hashtag": event.hashtag,
            "starts_on": event.starts_on.isoformat(),
            "ends_on": event.ends_on.isoformat(),
            "timezone": event.timezone,
            "access": event.access,
            "crisis_lines": "Samaritans (UK and Ireland): call 116 123\n\n  Shout: text 85258  ",
            "crisis_contact": "Any facilitator (green lanyard), or the quiet room, Room 112",
        },
    )
    assert saved.status_code == 302, saved.text[:1000]
    page = reader.get(room).text
    assert "<li>Samaritans (UK and Ireland): call 116 123</li>" in page
    assert "<li>Shout: text 85258</li>" in page
    assert "988 Suicide" not in page
    assert "the quiet room, Room 112" in page
    too_long = organiser.submit("/e/conf/manage/", {"name": event.name, "crisis_lines": "x" * 1001})
    assert too_long.status_code == 400 and "at most 1000 characters" in too_long.text
    assert "Shout: text 85258" in reader.get(room).text  # nothing changed
    reader.close()
    organiser.close()
