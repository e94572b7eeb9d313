"""Full-text search of an event's posts and questions (FTS5 on SQLite, text search on
PostgreSQL: the suite runs on both), with its filters and its privacy rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.archive import search
from backchannel.feed.models import Post
from tests.support import http


def _post(live: str, person: Any, session_id: int, body: str) -> dict[str, Any]:
    with person.api(live) as client:
        response = client.post(f"/api/v1/sessions/{session_id}/posts", json={"body": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def _search(live: str, params: dict[str, str], person: Any = None) -> dict[str, Any]:
    client = person.api(live) if person else http.client(live, timeout=10)
    with client:
        response = client.get("/api/v1/events/conf/search", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def talk(base_url: str, conference: Any, make_person: Any) -> dict[str, Any]:
    from backchannel.events.actions import join_event
    from backchannel.qa.actions import ask

    amy = make_person("amy", name="Amy")
    join_event(amy.user, conference.event)
    keynote, workshop = conference.session.pk, conference.other_session.pk
    posts = {
        "slides": _post(
            base_url, conference.attendee, keynote, "Will the slides be shared? #slides"
        ),
        "peer": _post(base_url, amy, workshop, "Peer support works in schools #peers"),
        "family": _post(base_url, amy, keynote, "Families sharing their stories changed the room"),
    }
    ask(conference.attendee.user, conference.session, body="How do schools fund peer support?")
    ask(amy.user, conference.session, body="Who funds the school counsellors?", anonymous=True)
    return {"posts": posts, "amy": amy}


def test_words_find_posts_and_questions_with_stemming(site: str, talk: dict[str, Any]) -> None:
    found = _search(site, {"q": "SHARING"})
    # "sharing" finds "shared" and "sharing": both databases stem English words.
    assert sorted(p["body"] for p in found["posts"]) == [
        "Families sharing their stories changed the room",
        "Will the slides be shared? #slides",
    ]
    found = _search(site, {"q": "peer support"})
    assert [p["body"] for p in found["posts"]] == ["Peer support works in schools #peers"]
    assert [q["body"] for q in found["questions"]] == ["How do schools fund peer support?"]
    # Every word must be there.
    assert _search(site, {"q": "peer slides"}) == {"posts": [], "questions": []}


def test_filters_by_session_hashtag_person_and_date(
    site: str, conference: Any, talk: dict[str, Any]
) -> None:
    keynote, workshop = str(conference.session.pk), str(conference.other_session.pk)
    assert _search(site, {"q": "support", "session": keynote})["posts"] == []
    in_workshop = _search(site, {"q": "support", "session": workshop})["posts"]
    assert [p["session_id"] for p in in_workshop] == [conference.other_session.pk]
    by_tag = _search(site, {"tag": "#Peers"})
    assert [p["body"] for p in by_tag["posts"]] == ["Peer support works in schools #peers"]
    assert by_tag["questions"] == []  # questions carry no hashtags
    by_amy = _search(site, {"person": "@amy"})
    assert len(by_amy["posts"]) == 2
    # Amy's anonymous question is not found by her name...
    assert by_amy["questions"] == []
    # ...but by its words, without her name.
    anonymous = _search(site, {"q": "counsellors"})["questions"]
    assert [(q["body"], q["author"]) for q in anonymous] == [
        ("Who funds the school counsellors?", None)
    ]
    # Dates are the event's own (Berlin): between 23:00 and midnight UTC they differ from the
    # machine's.
    today = dt.datetime.now(conference.event.tz).date()
    assert len(_search(site, {"since": str(today), "until": str(today)})["posts"]) == 3
    assert _search(site, {"until": str(today - dt.timedelta(days=1))})["posts"] == []


def test_what_readers_cannot_see_is_never_found(
    site: str, conference: Any, talk: dict[str, Any]
) -> None:
    from backchannel.moderation.actions import hide_post

    hide_post(
        conference.organiser.user, Post.objects.get(pk=talk["posts"]["peer"]["id"]), reason="spam"
    )
    with conference.attendee.api(site) as client:
        client.delete(f"/api/v1/posts/{talk['posts']['slides']['id']}")
    assert _search(site, {"q": "peer"})["posts"] == []
    assert _search(site, {"q": "slides"})["posts"] == []
    assert len(_search(site, {"q": "families"})["posts"]) == 1


def test_a_join_code_events_search_is_for_its_members(site: str, make_person: Any) -> None:
    from backchannel.events import actions as events

    olive, otto = make_person("olive"), make_person("otto")
    events.create_event(
        olive.user,
        slug="closed",
        name="Closed",
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 1),
        access="code",
    )
    with otto.api(site) as client:
        assert client.get("/api/v1/events/closed/search", params={"q": "x"}).status_code == 404
    with olive.api(site) as client:
        assert client.get("/api/v1/events/closed/search", params={"q": "x"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"since": "not-a-date"}, {"session": "abc"}, {"limit": "0"}, {"q": "x" * 201}],
)
def test_bad_search_input_is_a_clear_4xx(
    site: str, conference: Any, params: dict[str, str]
) -> None:
    response = http.get(f"{site}/api/v1/events/conf/search", params=params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_the_search_page(site: str, conference: Any, talk: dict[str, Any]) -> None:
    page = http.get(f"{site}/e/conf/search/", params={"q": "peer", "person": "amy"})
    assert page.status_code == 200
    assert "Peer support works in schools" in page.text and "1 result" in page.text
    assert "Search" in http.get(f"{site}/e/conf/").text


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=80))
def test_no_query_text_is_read_as_query_syntax(conference: Any, text: str) -> None:
    """Quotes, operators (AND, NEAR, *, ^, :), brackets and any Unicode: never an error."""
    found = search.search(conference.event, text)
    assert found.posts == [] and found.questions == []
