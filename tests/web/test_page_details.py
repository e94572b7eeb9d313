"""The small things people meet on every visit: what a reply says it answers, how long ago
something happened, checkboxes beside their labels, the room's quieter links, a poll whose
results attendees cannot see yet, who is already in their Tweet Seat."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from backchannel.web.templatetags.backchannel import ago


def _as(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_a_reply_without_javascript_names_whom_it_answers(conference: Any) -> None:
    from backchannel.feed.actions import create_post

    root = create_post(conference.organiser.user, conference.session, body="Welcome all").post
    room = f"/e/conf/s/{conference.session.pk}/"
    html = _as(conference.attendee).get(f"{room}?reply_to={root.pk}").content.decode()
    shown = r'<div class="composer__reply" >\s*Replying to <span[^>]*>Olive Organiser<'
    assert re.search(shown, html)
    assert f'name="reply_to" value="{root.pk}"' in html

    # Nothing that is a post of this feed: a new thread, not a reply to "post abc".
    other = create_post(conference.organiser.user, conference.other_session, body="Elsewhere").post
    for wrong in ("abc", "999999", str(other.pk)):
        html = _as(conference.attendee).get(f"{room}?reply_to={wrong}").content.decode()
        assert '<div class="composer__reply" hidden>' in html, wrong
        assert 'name="reply_to" value=""' in html


def test_moments_read_as_people_say_them() -> None:
    now = timezone.now()
    assert ago(now) == "just now"
    assert ago(now - dt.timedelta(seconds=50)) == "just now"
    assert ago(now - dt.timedelta(minutes=5)) == "5\xa0minutes ago"
    assert ago(now - dt.timedelta(hours=2, minutes=3)) == "2\xa0hours, 3\xa0minutes ago"
    assert ago(None) == ""


def test_a_checkbox_sits_before_its_label_without_a_colon() -> None:
    html = Client().get("/accounts/signup/").content.decode()
    field = re.search(r'<div class="check-field">(.*?)</div>\s*</div>', html, re.S)
    assert field, "the age check is laid out as a checkbox field"
    inside = field.group(1)
    assert inside.index('type="checkbox"') < inside.index("<label")
    assert '<label for="id_age_confirmed">I am 16 or older</label>' in inside
    assert 'aria-describedby="id_age_confirmed_helptext"' in inside
    assert 'id="id_age_confirmed_helptext"' in inside
    # Every other field keeps the label, help, input order, with the colon.
    assert '<label for="id_handle">Handle:</label>' in html


def test_the_rooms_archive_and_feeds_sit_in_a_quiet_menu(conference: Any) -> None:
    session = conference.session.pk
    html = Client().get(f"/e/conf/s/{session}/").content.decode()
    menu = re.search(r'<details class="room__more">(.*?)</details>', html, re.S)
    assert menu and "<summary>Archive and feeds</summary>" in menu.group(1)
    for path in ("archive/", "feed.rss", "feed.atom"):
        assert f'href="/e/conf/s/{session}/{path}"' in menu.group(1)
    assert "Join card to print" not in menu.group(1)  # for the event's facilitators
    organiser = _as(conference.organiser).get(f"/e/conf/s/{session}/").content.decode()
    assert f'href="/e/conf/s/{session}/card/">Join card to print' in organiser


def test_presenters_see_that_a_polls_results_are_hidden_from_attendees(
    conference: Any,
) -> None:
    from backchannel.qa import polls

    poll = polls.create_poll(
        conference.organiser.user,
        conference.session,
        question="Which day works?",
        kind="single",
        options=["Monday", "Tuesday"],
        hide_results=True,
    )
    polls.set_status(conference.organiser.user, poll, status="open")
    session = conference.session.pk
    board = _as(conference.organiser).get(f"/e/conf/s/{session}/presenter/").content.decode()
    assert "Results hidden from attendees" in board
    attendee = _as(conference.attendee).get(f"/e/conf/s/{session}/questions/").content.decode()
    assert "Results hidden from attendees" not in attendee

    polls.set_status(conference.organiser.user, poll, status="closed")
    board = _as(conference.organiser).get(f"/e/conf/s/{session}/presenter/").content.decode()
    assert "Results hidden from attendees" not in board  # closed: everyone sees them


def test_the_seat_list_says_who_is_in_their_seat(conference: Any, make_person: Any) -> None:
    from backchannel.events import actions, seats

    session = conference.session  # a plenary
    block = seats.create_block(conference.organiser.user, session, label="Front", capacity=2)
    here, coming = make_person("hana"), make_person("cole")
    rows = []
    for person in (here, coming):
        actions.join_event(person.user, conference.event)
        rows.append(seats.reserve(person.user, block))
    seats.check_in(conference.organiser.user, rows[0])
    html = _as(conference.organiser).get(f"/e/conf/s/{session.pk}/seats/").content.decode()
    assert re.search(r"@hana</td><td>Front</td><td>In their seat</td>", html)
    assert re.search(r"@cole</td><td>Front</td><td>Reserved</td>", html)
