"""Q&A through the running server: asking (anonymously too), voting once under concurrency,
ordering, pre-moderation, answering, pinning, editing, merging with votes carried over,
similar questions, the live stream, and bad input."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support import http
from tests.support.sse import SSEStream


@dataclass
class Hall:
    live: str
    conference: Any
    presenter: Any

    @property
    def session(self) -> Any:
        return self.conference.session

    def ask(self, person: Any, body: str, **extra: Any) -> httpx.Response:
        with person.api(self.live) as api:
            return api.post(
                f"/api/v1/sessions/{self.session.pk}/questions", json={"body": body, **extra}
            )

    def vote(self, person: Any, question_id: int, on: bool = True) -> httpx.Response:
        with person.api(self.live) as api:
            method = "POST" if on else "DELETE"
            return api.request(method, f"/api/v1/questions/{question_id}/vote")

    def listing(self, person: Any | None = None, order: str = "top") -> dict[str, Any]:
        url = f"/api/v1/sessions/{self.session.pk}/questions?order={order}"
        client = person.api(self.live) if person else http.client(self.live)
        with client:
            response = client.get(url)
        assert response.status_code == 200
        return dict(response.json())


@pytest.fixture
def hall(base_url: str, conference: Any, make_person: Any) -> Hall:
    from backchannel.events.models import Registration

    pat = make_person("pat", name="Pat Presenter")
    Registration.objects.create(event=conference.event, user=pat.user, role="presenter")
    conference.session.presenters.add(pat.user)
    return Hall(base_url, conference, pat)


def test_ask_vote_and_order_top_or_new(hall: Hall, make_person: Any) -> None:
    from backchannel.events import actions as events

    voters = [make_person(f"voter{i}") for i in range(3)]
    for voter in voters:
        events.join_event(voter.user, hall.conference.event)
    first = hall.ask(hall.conference.attendee, "How do families get a say?").json()
    second = hall.ask(hall.conference.organiser, "What about rural schools?").json()
    for voter in voters:
        assert hall.vote(voter, second["id"]).json()["vote_count"] >= 1
    assert hall.vote(voters[0], second["id"]).json()["vote_count"] == 3  # once per person
    top = [q["id"] for q in hall.listing()["questions"]]
    new = [q["id"] for q in hall.listing(order="new")["questions"]]
    assert top == [second["id"], first["id"]] and new == [second["id"], first["id"]]
    assert hall.vote(voters[0], second["id"], on=False).json()["vote_count"] == 2
    mine = hall.listing(voters[1])["questions"]
    assert [q["voted"] for q in mine] == [True, False]
    own = hall.vote(hall.conference.attendee, first["id"])
    assert own.status_code == 400 and own.json()["code"] == "own_question"


def test_concurrent_votes_count_once_each(live: str, hall: Hall, make_person: Any) -> None:
    from backchannel.events import actions as events
    from backchannel.qa.models import Question, Vote

    question = hall.ask(hall.conference.attendee, "Where do we start?").json()
    voters = [make_person(f"v{i}") for i in range(6)]
    for voter in voters:
        events.join_event(voter.user, hall.conference.event)
    barrier = threading.Barrier(12)
    answers: list[int] = []

    def press(person: Any) -> None:
        barrier.wait()
        answers.append(hall.vote(person, question["id"]).status_code)

    # Each voter presses twice at the same moment (a double tap on a phone).
    threads = [threading.Thread(target=press, args=(v,)) for v in voters for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [200] * 12
    assert Vote.objects.filter(question_id=question["id"]).count() == 6
    assert Question.objects.get(pk=question["id"]).vote_count == 6


def test_anonymous_to_attendees_never_to_presenters(hall: Hall) -> None:
    asked = hall.ask(hall.conference.attendee, "Is this about my son?", anonymous=True)
    assert asked.status_code == 201
    seen_by_public = hall.listing()["questions"][0]
    seen_by_otto = hall.listing(hall.conference.outsider)["questions"][0]
    seen_by_presenter = hall.listing(hall.presenter)["questions"][0]
    seen_by_asker = hall.listing(hall.conference.attendee)["questions"][0]
    assert seen_by_public["author"] is None and seen_by_otto["author"] is None
    assert seen_by_presenter["author"]["handle"] == "ada"
    assert seen_by_asker["author"]["handle"] == "ada"
    page = http.get(f"{hall.live}/e/conf/s/{hall.session.pk}/questions/").text
    assert "Anonymous" in page and "@ada" not in page


def test_premoderated_questions_wait_and_go_live_when_approved(live: str, hall: Hall) -> None:
    hall.session.questions_premoderated = True
    hall.session.save(update_fields=["questions_premoderated"])
    with SSEStream(f"{hall.live}/api/v1/sessions/{hall.session.pk}/stream") as room:
        asked = hall.ask(hall.conference.attendee, "Can we get the slides?")
        assert asked.status_code == 202 and asked.json()["status"] == "pending"
        assert hall.listing()["questions"] == []
        with hall.presenter.api(hall.live) as pat:
            pending = pat.get(
                f"/api/v1/sessions/{hall.session.pk}/questions?status=pending"
            ).json()["questions"]
            assert [q["id"] for q in pending] == [asked.json()["id"]]
            approved = pat.patch(f"/api/v1/questions/{asked.json()['id']}", json={"status": "live"})
            assert approved.status_code == 200
        event = room.next()
        assert event.type == "question.created" and "Can we get the slides?" in event.data
    with hall.conference.outsider.api(hall.live) as otto:
        refused = otto.get(f"/api/v1/sessions/{hall.session.pk}/questions?status=pending")
        assert refused.status_code == 403


def test_presenters_answer_pin_edit_dismiss_and_the_room_sees_it(live: str, hall: Hall) -> None:
    q = hall.ask(hall.conference.attendee, "How is sucess measured?").json()
    url = f"/api/v1/questions/{q['id']}"
    with SSEStream(f"{hall.live}/api/v1/sessions/{hall.session.pk}/stream") as room:
        with hall.presenter.api(hall.live) as pat:
            pinned = pat.put(
                f"/api/v1/sessions/{hall.session.pk}/now-answering", json={"question_id": q["id"]}
            )
            assert pinned.json()["now_answering"] == q["id"]
            edited = pat.patch(url, json={"body": "How is success measured?"})
            assert edited.json()["edited"] is True
            answered = pat.patch(url, json={"status": "answered"})
            assert answered.json()["status"] == "answered"
            assert pat.patch(url, json={}).status_code == 400
        types = [room.next().type for _ in range(4)]
    assert types == ["question.pinned", "question.updated", "question.pinned", "question.updated"]
    listing = hall.listing()
    assert listing["now_answering"] is None  # answering ends the pin
    assert listing["questions"][0]["body"] == "How is success measured?"
    assert hall.vote(hall.conference.organiser, q["id"]).status_code == 409  # answered: closed
    with hall.conference.attendee.api(hall.live) as ada:
        assert ada.patch(url, json={"status": "dismissed"}).status_code == 403
    with hall.presenter.api(hall.live) as pat:
        assert pat.patch(url, json={"status": "dismissed"}).status_code == 200
    assert hall.listing()["questions"] == []


def test_merging_carries_votes_over_once_per_person(hall: Hall, make_person: Any) -> None:
    from backchannel.events import actions as events

    voters = [make_person(f"m{i}") for i in range(3)]
    for voter in voters:
        events.join_event(voter.user, hall.conference.event)
    keep = hall.ask(hall.conference.organiser, "Will the slides be shared?").json()
    dupe = hall.ask(hall.conference.attendee, "Can we get the slides afterwards?").json()
    hall.vote(voters[0], keep["id"])
    hall.vote(voters[0], dupe["id"])  # voted for both: counts once after the merge
    hall.vote(voters[1], dupe["id"])
    with hall.presenter.api(hall.live) as pat:
        merged = pat.post(f"/api/v1/questions/{dupe['id']}/merge", json={"into": keep["id"]})
        assert merged.status_code == 200
        # voters[0] once, voters[1], and the duplicate's asker (ada): 3
        assert merged.json()["vote_count"] == 3
        again = pat.post(f"/api/v1/questions/{dupe['id']}/merge", json={"into": keep["id"]})
        assert again.status_code == 409
        itself = pat.post(f"/api/v1/questions/{keep['id']}/merge", json={"into": keep["id"]})
        assert itself.status_code == 400
    assert [q["id"] for q in hall.listing()["questions"]] == [keep["id"]]


def test_similar_questions_are_suggested(hall: Hall) -> None:
    hall.ask(hall.conference.organiser, "Will the slides be shared after the session?")
    hall.ask(hall.conference.organiser, "Which states fund peer support?")
    response = http.get(
        f"{hall.live}/api/v1/sessions/{hall.session.pk}/questions/similar",
        params={"text": "are the slides shared after"},
    )
    found = [m["question"]["body"] for m in response.json()]
    assert found == ["Will the slides be shared after the session?"]


def test_bad_questions_are_refused_and_change_nothing(hall: Hall) -> None:
    from backchannel.qa.models import Question

    assert hall.ask(hall.conference.attendee, "   ").status_code == 400
    assert hall.ask(hall.conference.attendee, "x" * 301).status_code == 400
    caution = hall.ask(hall.conference.attendee, "Jamie (12) from Oak Street, is that normal?")
    assert caution.status_code == 409 and caution.json()["caution"]
    assert hall.ask(hall.conference.outsider, "Hello?").status_code == 403
    with http.client(hall.live) as anonymous:
        assert (
            anonymous.post(
                f"/api/v1/sessions/{hall.session.pk}/questions", json={"body": "Hi"}
            ).status_code
            == 401
        )
    assert Question.objects.count() == 0
    retried = [hall.ask(hall.conference.attendee, "Once?", client_id="q-1") for _ in range(2)]
    assert retried[0].json()["id"] == retried[1].json()["id"]
    assert retried[1].headers["Idempotent-Replayed"] == "true"
    assert Question.objects.count() == 1
