"""Polls through the running server: drafts, opening and closing, one answer per person (also
when pressed twice at once), results live and optionally hidden until closed, word clouds,
ratings, and a CSV export that spreadsheets cannot run."""

from __future__ import annotations

import csv
import io
import threading
from typing import Any

import httpx
import pytest

from tests.support import http
from tests.support.sse import SSEStream


@pytest.fixture
def pat(conference: Any, make_person: Any) -> Any:
    from backchannel.events.models import Registration

    person = make_person("pat", name="Pat Presenter")
    Registration.objects.create(event=conference.event, user=person.user, role="presenter")
    conference.session.presenters.add(person.user)
    return person


def create(live: str, who: Any, session: Any, **poll: Any) -> dict[str, Any]:
    with who.api(live) as api:
        response = api.post(f"/api/v1/sessions/{session.pk}/polls", json=poll)
    assert response.status_code == 201, response.text
    return dict(response.json())


def set_status(live: str, who: Any, poll_id: int, status: str) -> httpx.Response:
    with who.api(live) as api:
        return api.patch(f"/api/v1/polls/{poll_id}", json={"status": status})


def answer(live: str, who: Any, poll_id: int, **body: Any) -> httpx.Response:
    with who.api(live) as api:
        return api.post(f"/api/v1/polls/{poll_id}/responses", json=body)


def test_a_choice_poll_from_draft_to_results_live(live: str, conference: Any, pat: Any) -> None:
    poll = create(
        live,
        pat,
        conference.session,
        question="Which topic next?",
        kind="single",
        options=["Funding", "Workforce", "Data"],
    )
    assert poll["status"] == "draft"
    # Drafts are invisible to the room.
    public = http.get(f"{live}/api/v1/sessions/{conference.session.pk}/polls").json()
    assert public == []
    assert (
        answer(
            live, conference.attendee, poll["id"], options=[poll["options"][0]["id"]]
        ).status_code
        == 404
    )
    with SSEStream(f"{live}/api/v1/sessions/{conference.session.pk}/stream") as room:
        assert set_status(live, pat, poll["id"], "open").status_code == 200
        opened = room.next()
        assert opened.type == "poll.updated" and opened.json["poll"]["status"] == "open"
        funding, workforce = poll["options"][0]["id"], poll["options"][1]["id"]
        assert answer(live, conference.attendee, poll["id"], options=[funding]).status_code == 201
        update = room.next().json
        assert update["total"] == 1
        assert update["results"] == [
            {"label": "Funding", "count": 1},
            {"label": "Workforce", "count": 0},
            {"label": "Data", "count": 0},
        ]
    again = answer(live, conference.attendee, poll["id"], options=[workforce])
    assert again.status_code == 409 and again.json()["code"] == "answered"
    two = answer(live, conference.organiser, poll["id"], options=[funding, workforce])
    assert two.status_code == 400  # single choice
    foreign = answer(live, conference.organiser, poll["id"], options=[999999])
    assert foreign.status_code == 400
    assert set_status(live, pat, poll["id"], "closed").status_code == 200
    closed = answer(live, conference.organiser, poll["id"], options=[funding])
    assert closed.status_code == 409 and closed.json()["code"] == "not_open"
    assert set_status(live, pat, poll["id"], "draft").status_code == 422


def test_results_can_stay_hidden_until_the_poll_closes(
    site: str, conference: Any, pat: Any
) -> None:
    poll = create(
        site,
        pat,
        conference.session,
        question="How useful was this?",
        kind="rating",
        hide_results=True,
    )
    set_status(site, pat, poll["id"], "open")
    assert answer(site, conference.attendee, poll["id"], rating=4).status_code == 201
    assert answer(site, conference.organiser, poll["id"], rating=9).status_code == 400
    room_view = http.get(f"{site}/api/v1/polls/{poll['id']}/results").json()
    assert room_view["visible"] is False and room_view["results"] == []
    assert room_view["total"] == 1
    with pat.api(site) as api:
        presenter_view = api.get(f"/api/v1/polls/{poll['id']}/results").json()
    assert presenter_view["visible"] is True
    assert [r["count"] for r in presenter_view["results"]] == [0, 0, 0, 1, 0]
    set_status(site, pat, poll["id"], "closed")
    after = http.get(f"{site}/api/v1/polls/{poll['id']}/results").json()
    assert after["visible"] is True and after["results"][3] == {"label": "4", "count": 1}


def test_one_answer_per_person_even_when_pressed_twice_at_once(
    live: str, conference: Any, pat: Any, make_person: Any
) -> None:
    from backchannel.events import actions as events
    from backchannel.qa.models import PollResponse

    poll = create(
        live,
        pat,
        conference.session,
        question="Coffee?",
        kind="multiple",
        options=["Yes", "Please"],
    )
    set_status(live, pat, poll["id"], "open")
    people = [make_person(f"p{i}") for i in range(4)]
    for person in people:
        events.join_event(person.user, conference.event)
    barrier = threading.Barrier(8)
    codes: list[int] = []

    def press(person: Any) -> None:
        barrier.wait()
        ids = [o["id"] for o in poll["options"]]
        codes.append(answer(live, person, poll["id"], options=ids).status_code)

    threads = [threading.Thread(target=press, args=(p,)) for p in people for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [201] * 4 + [409] * 4
    assert PollResponse.objects.filter(poll_id=poll["id"]).count() == 4
    results = http.get(f"{live}/api/v1/polls/{poll['id']}/results").json()["results"]
    assert [r["count"] for r in results] == [4, 4]


def test_word_clouds_count_words_and_respect_blocked_terms(
    site: str, conference: Any, pat: Any
) -> None:
    from backchannel.moderation.actions import add_word_filter

    add_word_filter(conference.organiser.user, conference.event, term="crud", action="block")
    poll = create(site, pat, conference.session, question="One word for today?", kind="words")
    set_status(site, pat, poll["id"], "open")
    assert answer(site, conference.attendee, poll["id"], text="Hopeful families").status_code == 201
    assert answer(site, conference.organiser, poll["id"], text="hopeful").status_code == 201
    assert answer(site, pat, poll["id"], text="total crud").status_code == 400
    assert answer(site, pat, poll["id"], text="x" * 41).status_code == 400
    results = http.get(f"{site}/api/v1/polls/{poll['id']}/results").json()["results"]
    assert results == [{"label": "hopeful", "count": 2}, {"label": "families", "count": 1}]


def test_results_export_as_csv_that_spreadsheets_will_not_run(
    site: str, conference: Any, pat: Any
) -> None:
    poll = create(
        site,
        pat,
        conference.session,
        question='=HYPERLINK("http://x")',
        kind="single",
        options=["@SUM(A1)", "+1", "plain"],
    )
    set_status(site, pat, poll["id"], "open")
    answer(site, conference.attendee, poll["id"], options=[poll["options"][2]["id"]])
    with pat.api(site) as api:
        response = api.get(f"/api/v1/polls/{poll['id']}/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["poll", "kind", "answer", "count"]
    assert rows[1][0].startswith("'=") and rows[1][2] == "'@SUM(A1)" and rows[2][2] == "'+1"
    assert rows[3][2:] == ["plain", "1"]
    with conference.attendee.api(site) as api:
        assert api.get(f"/api/v1/polls/{poll['id']}/results.csv").status_code == 403


def test_only_presenters_and_facilitators_create_polls_and_bad_polls_are_refused(
    site: str, conference: Any, pat: Any
) -> None:
    from backchannel.qa.models import Poll

    url = f"/api/v1/sessions/{conference.session.pk}/polls"
    with conference.attendee.api(site) as api:
        assert api.post(url, json={"question": "Q?", "kind": "words"}).status_code == 403
    with pat.api(site) as api:
        one_option = api.post(url, json={"question": "Q?", "kind": "single", "options": ["A"]})
        assert one_option.status_code == 400 and one_option.json()["field"] == "options"
        same = api.post(url, json={"question": "Q?", "kind": "single", "options": ["A", "A"]})
        assert same.status_code == 400
        assert api.post(url, json={"question": "", "kind": "words"}).status_code == 400
        assert api.post(url, json={"question": "Q?", "kind": "essay"}).status_code == 422
    assert Poll.objects.count() == 0
