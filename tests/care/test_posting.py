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


def test_the_api_asks_to_confirm_and_writes_nothing_until_then(site: str, conference: Any) -> None:
    url = f"/api/v1/sessions/{conference.session.pk}/posts"
    with conference.attendee.api(site) as api:
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


def test_organisers_set_their_events_crisis_resources(site: str, conference: Any) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession, event_form

    room = f"/e/conf/s/{conference.session.pk}/"
    reader = PageSession(site)
    reader.login("ada", PASSWORD)
    default = reader.get(room).text
    assert "988 Suicide &amp; Crisis Lifeline" in default
    assert "any facilitator can help, quietly" in default

    organiser = PageSession(site)
    organiser.login("olive", PASSWORD)
    event = conference.session.event
    saved = organiser.submit(
        "/e/conf/manage/",
        event_form(
            event,
            crisis_lines="Samaritans (UK and Ireland): call 116 123\n\n  Shout: text 85258  ",
            crisis_contact="Any facilitator (green lanyard), or the quiet room, Room 112",
        ),
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


FRIEND = "My colleague just messaged that she has a plan to end her life tonight."


def test_crisis_resources_come_with_every_answer_to_the_author(live: str, conference: Any) -> None:
    url = f"/api/v1/sessions/{conference.session.pk}/posts"
    with conference.attendee.api(live) as api:
        posted = api.post(url, json={"body": FRIEND, "client_id": "crisis-1"})
        assert posted.status_code == 201
        support = posted.json()["crisis_support"]
        assert support["about"] == "someone_else" and support["language"] == "en"
        assert "emergency services" in support["intro"]
        assert conference.session.event.name in support["at_event"]
        # A retry answers with the first post and the same resources.
        again = api.post(url, json={"body": FRIEND, "client_id": "crisis-1"})
        assert again.json()["id"] == posted.json()["id"]
        assert again.json()["crisis_support"] == support
        # The stream and the listing never carry them: they are the author's alone.
        listed = api.get(f"{url}?limit=5").json()["posts"]
        assert all(p.get("crisis_support") is None for p in listed)

        # A "check this first" answer carries them too, before anything is confirmed.
        both = f"{CHILD} Honestly some days I want to die."
        asked = api.post(url, json={"body": both})
        assert asked.status_code == 409
        assert asked.json()["crisis_support"]["about"] == "self"

        # In Spanish, in Spanish.
        spanish = api.post(url, json={"body": "Ya no puedo más, quiero morir y nadie lo sabe."})
        assert spanish.status_code == 201
        assert spanish.json()["crisis_support"]["language"] == "es"
        assert "988" in spanish.json()["crisis_support"]["lines"][0]

        question = api.post(
            f"/api/v1/sessions/{conference.session.pk}/questions",
            json={"body": "How do I help a student who told me she wants to kill herself?"},
        )
        assert question.status_code == 201
        assert question.json()["crisis_support"]["about"] == "someone_else"


def test_without_javascript_the_room_shows_the_resources_once(live: str, conference: Any) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    browser = PageSession(live)
    browser.login("ada", PASSWORD)
    room = f"/e/conf/s/{conference.session.pk}/"
    posted = browser.submit(f"{room}post/", {"body": FRIEND}, form_page=room)
    assert posted.status_code == 302
    page = browser.get(room).text
    shown = page.split('id="crisis-support"', 1)[1].split("</aside>", 1)[0]
    assert " hidden>" not in shown.split(">", 1)[0] + ">"
    assert "Helping someone who may be at risk" in shown
    assert 'data-about="someone_else"' in shown
    # Once: the next visit has them ready but hidden.
    later = browser.get(room).text.split('id="crisis-support"', 1)[1].split(">", 1)[0]
    assert "hidden" in later
    browser.close()
