"""An event's short code: unambiguous to read off a screen or a card, forgiving to type, and the
way in from the home page, the wall and a printed join card."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from backchannel.events import codes
from tests.web.test_html import check_page

code_text = st.text(alphabet=codes.ALPHABET, min_size=codes.LENGTH, max_size=codes.LENGTH)
separators = st.sampled_from(["", " ", "-", "  ", " - ", "·", "."])


@given(code_text, separators, st.booleans(), st.booleans())
def test_a_code_typed_any_way_reads_as_itself(
    code: str, separator: str, lower: bool, hashed: bool
) -> None:
    typed = code[:3] + separator + code[3:]
    typed = ("#" if hashed else "") + (typed.lower() if lower else typed)
    assert codes.normalise(f"  {typed} ") == code


@given(st.text(max_size=12))
def test_only_six_unambiguous_characters_are_a_code(typed: str) -> None:
    code = codes.normalise(typed)
    if code is not None:
        assert len(code) == codes.LENGTH
        assert set(code) <= set(codes.ALPHABET)


def test_no_character_can_be_mistaken_for_another() -> None:
    for lookalike in "0O1IL":
        assert lookalike not in codes.ALPHABET
    assert codes.normalise("K0PM3Q") is None  # a zero is never part of a code
    assert codes.spaced("K7PM3Q") == "K7P M3Q"


def test_a_new_code_is_never_one_already_taken() -> None:
    drawn: list[str] = []

    def taken(code: str) -> bool:  # the first three drawn are taken
        drawn.append(code)
        return len(drawn) < 4

    assert codes.new_code(taken) == drawn[-1]
    assert len(drawn) == 4


def test_every_event_gets_its_own_code(conference: Any, make_person: Any) -> None:
    from backchannel.events import actions

    other = actions.create_event(
        conference.organiser.user,
        slug="other",
        name="Other Conference",
        starts_on=conference.event.starts_on,
        ends_on=conference.event.ends_on,
    )
    for event in (conference.event, other):
        assert codes.normalise(event.event_code) == event.event_code
    assert conference.event.event_code != other.event_code


def test_the_home_page_finds_an_event_by_its_code_typed_loosely(conference: Any) -> None:
    client = Client()
    client.force_login(conference.outsider.user)
    code = conference.event.event_code
    typed = f" {code[:3].lower()}-{code[3:].lower()} "
    response = client.post("/join/", {"event": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/e/{conference.event.slug}/"
    # The address still works, and something that is neither says so plainly.
    assert client.post("/join/", {"event": "CONF"})["Location"] == "/e/conf/"
    missing = client.post("/join/", {"event": "XXX XXX"})
    assert missing.status_code == 200
    assert "There is no event with that code or address" in missing.content.decode()


def test_the_join_card_has_the_qr_the_code_the_address_and_the_reminder(
    conference: Any,
) -> None:
    event = conference.event
    html = Client().get(f"/e/{event.slug}/card/").content.decode()
    check_page(html, "the join card")
    assert event.spaced_code in html
    assert "<svg" in html and "QR code: http://testserver/e/conf/" in html
    assert "or go to <strong>testserver</strong> and enter the code" in html
    assert "Think before you post" in html
    assert f'href="/e/{event.slug}/s/{conference.session.pk}/card/"' in html

    session_card = Client().get(f"/e/{event.slug}/s/{conference.session.pk}/card/")
    html = session_card.content.decode()
    assert session_card.status_code == 200
    assert "Keynote" in html
    assert f"QR code: http://testserver/e/conf/s/{conference.session.pk}/" in html
    assert event.spaced_code in html


def test_a_session_card_only_under_its_own_event(conference: Any) -> None:
    from backchannel.events import actions

    other = actions.create_event(
        conference.organiser.user,
        slug="other",
        name="Other Conference",
        starts_on=conference.event.starts_on,
        ends_on=conference.event.ends_on,
    )
    response = Client().get(f"/e/{other.slug}/s/{conference.session.pk}/card/")
    assert response.status_code == 404


def test_the_wall_and_the_event_page_show_the_code(conference: Any) -> None:
    event = conference.event
    wall = Client().get(f"/e/{event.slug}/s/{conference.session.pk}/wall/").content.decode()
    assert re.search(rf'class="wall__code"[^>]*>{event.spaced_code}<', wall)
    page = Client().get(f"/e/{event.slug}/").content.decode()
    assert event.spaced_code in page
    assert "Print a join card" not in page  # for its organisers
    organiser = Client()
    organiser.force_login(conference.organiser.user)
    assert "Print a join card" in organiser.get(f"/e/{event.slug}/").content.decode()
