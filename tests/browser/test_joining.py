"""Joining as people do at the door: the code from the wall or a table card, typed on a phone
any which way, leads to the event; the card itself prints."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_feed import sign_in
from tests.support.wait import wait_until

pytestmark = pytest.mark.browser


def test_a_code_typed_on_a_phone_leads_to_the_event(
    live: str, conference: Any, browser: Any
) -> None:
    code = conference.event.event_code
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{live}/")
    phone.get_by_label("Go to an event").fill(f"{code[:3].lower()} {code[3:].lower()}")
    phone.get_by_role("button", name="Go").click()
    expect(phone).to_have_url(f"{live}/e/conf/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Test Conference")
    expect(phone.locator("#event-code .event-code")).to_have_text(conference.event.spaced_code)

    # A code that is not one says so, and keeps what was typed.
    phone.goto(f"{live}/")
    phone.get_by_label("Go to an event").fill("ZZZ ZZZ")
    phone.get_by_role("button", name="Go").click()
    expect(phone.get_by_text("There is no event with that code or address")).to_be_visible()


def test_an_organiser_prints_the_join_card(live: str, conference: Any, browser: Any) -> None:
    olive = sign_in(browser, live, "olive")
    olive.goto(f"{live}/e/conf/")
    olive.get_by_role("link", name="Print a join card").click()
    expect(olive.locator(".join-card__code")).to_have_text(conference.event.spaced_code)
    olive.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    olive.get_by_role("button", name="Print this card").click()
    wait_until(lambda: olive.evaluate("window.printed") == 1, "the print dialog to be asked for")
    # In print, only the card: the tools around it are hidden.
    olive.emulate_media(media="print")
    expect(olive.locator(".card-tools")).to_be_hidden()
    expect(olive.locator(".join-card__qr svg")).to_be_visible()
