"""Tweet Seats through the running server: first come first served, never overbooked under
concurrent reservations, one per person per session, a waitlist that moves up by itself, the
badge beside live-posters' posts, and check-in by facilitators."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from tests.support import http


@pytest.fixture
def block(base_url: str, conference: Any) -> dict[str, Any]:
    with conference.organiser.api(base_url) as api:
        response = api.post(
            f"/api/v1/sessions/{conference.session.pk}/seats",
            json={"label": "Front left, rows 1 to 3", "capacity": 3},
        )
    assert response.status_code == 201
    return dict(response.json())


def reserve(live: str, person: Any, block_id: int) -> httpx.Response:
    with person.api(live) as api:
        return api.post(f"/api/v1/seat-blocks/{block_id}/reservations")


def test_concurrent_reservations_never_overbook(
    live: str, conference: Any, block: Any, make_person: Any
) -> None:
    from backchannel.events import actions as events
    from backchannel.events.models import SeatReservation

    people = [make_person(f"poster{i}") for i in range(8)]
    for person in people:
        events.join_event(person.user, conference.event)
    barrier = threading.Barrier(len(people))
    codes: list[int] = []

    def press(person: Any) -> None:
        barrier.wait()
        codes.append(reserve(live, person, block["id"]).status_code)

    threads = [threading.Thread(target=press, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [201] * 3 + [202] * 5
    reserved = SeatReservation.objects.filter(block_id=block["id"], status="reserved").count()
    assert reserved == 3
    seats = http.get(f"{live}/api/v1/sessions/{conference.session.pk}/seats").json()
    assert seats["blocks"][0]["free"] == 0 and seats["blocks"][0]["waitlisted"] == 5


def test_cancelling_moves_the_waitlist_up_in_order(
    site: str, conference: Any, block: Any, make_person: Any
) -> None:
    from backchannel.events import actions as events

    people = [make_person(f"q{i}") for i in range(5)]
    for person in people:
        events.join_event(person.user, conference.event)
    rows = [reserve(site, p, block["id"]).json() for p in people]
    assert [r["status"] for r in rows] == ["reserved"] * 3 + ["waitlisted"] * 2
    twice = reserve(site, people[0], block["id"])
    assert twice.status_code == 409 and twice.json()["code"] == "already_reserved"
    with people[1].api(site) as api:
        assert api.delete(f"/api/v1/reservations/{rows[1]['id']}").status_code == 204
        # Someone else's reservation is not theirs to cancel.
        assert api.delete(f"/api/v1/reservations/{rows[2]['id']}").status_code == 404
    with conference.organiser.api(site) as api:
        listing = {
            r["handle"]: r["status"]
            for r in api.get(f"/api/v1/sessions/{conference.session.pk}/reservations").json()
        }
    assert listing == {"q0": "reserved", "q2": "reserved", "q3": "reserved", "q4": "waitlisted"}
    # After cancelling, one can reserve again.
    assert reserve(site, people[1], block["id"]).json()["status"] == "waitlisted"


def test_live_posters_get_a_badge_and_facilitators_check_them_in(
    site: str, conference: Any, block: Any
) -> None:
    seat = reserve(site, conference.attendee, block["id"]).json()
    with conference.attendee.api(site) as api:
        mine = api.post(
            f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "From row 1"}
        ).json()
        elsewhere = api.post(
            f"/api/v1/sessions/{conference.other_session.pk}/posts", json={"body": "Elsewhere"}
        ).json()
        refused = api.post(f"/api/v1/reservations/{seat['id']}/check-in")
        assert refused.status_code == 403
    assert mine["tweet_seat"] is True and elsewhere["tweet_seat"] is False
    page = http.get(f"{site}/e/conf/s/{conference.session.pk}/").text
    assert "badge--seat" in page
    with conference.organiser.api(site) as api:
        checked = api.post(f"/api/v1/reservations/{seat['id']}/check-in")
    assert checked.status_code == 200 and checked.json()["checked_in"] is True


def test_blocks_are_for_plenaries_and_organisers(site: str, conference: Any) -> None:
    from backchannel.events.models import SeatBlock

    with conference.organiser.api(site) as api:
        workshop = api.post(
            f"/api/v1/sessions/{conference.other_session.pk}/seats",
            json={"label": "Back", "capacity": 2},
        )
        assert workshop.status_code == 400 and workshop.json()["code"] == "not_plenary"
        assert (
            api.post(
                f"/api/v1/sessions/{conference.session.pk}/seats", json={"label": "", "capacity": 2}
            ).status_code
            == 400
        )
        assert (
            api.post(
                f"/api/v1/sessions/{conference.session.pk}/seats",
                json={"label": "X", "capacity": 0},
            ).status_code
            == 422
        )
    with conference.attendee.api(site) as api:
        assert (
            api.post(
                f"/api/v1/sessions/{conference.session.pk}/seats",
                json={"label": "X", "capacity": 2},
            ).status_code
            == 403
        )
    assert SeatBlock.objects.count() == 0
