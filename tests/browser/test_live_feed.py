"""Two people in one session, in two browsers: what one writes, the other sees live."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def sign_in(browser: Any, live: str, handle: str, **context: Any) -> Page:
    page = browser.new_context(**context).new_page()
    page.goto(f"{live}/accounts/login/")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=f"@{handle}")).to_be_visible()
    return page


def open_room(page: Page, live: str, session: Any) -> None:
    page.goto(f"{live}/e/conf/s/{session.pk}/")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")


def test_two_people_talk_live(live: str, conference: Any, browser: Any) -> None:
    ada = sign_in(browser, live, "ada")
    olive = sign_in(browser, live, "olive")
    open_room(ada, live, conference.session)
    open_room(olive, live, conference.session)

    # Ada posts; Olive sees it without reloading.
    ada.get_by_label("Your post").fill("Hello from Ada #conf")
    started = time.monotonic()
    ada.get_by_role("button", name="Post", exact=True).click()
    arrived = olive.locator("article.post", has_text="Hello from Ada")
    expect(arrived).to_be_visible(timeout=5000)
    latency = time.monotonic() - started
    print(f"\npost-to-display in the other browser: {latency * 1000:.0f} ms")
    expect(arrived.locator(".hashtag")).to_have_attribute("href", "/e/conf/tags/conf/")
    # Ada's own copy appears once, not twice (API answer and stream event are deduplicated).
    expect(ada.locator("article.post", has_text="Hello from Ada")).to_have_count(1)

    # Olive replies; the reply appears under Ada's post in Ada's browser.
    arrived.get_by_role("link", name="Reply").click()
    expect(olive.locator(".composer__reply")).to_be_visible()
    olive.get_by_label("Your post").fill("Welcome, @ada!")
    olive.get_by_role("button", name="Post", exact=True).click()
    reply = ada.locator(".thread .replies article.post", has_text="Welcome")
    expect(reply).to_be_visible(timeout=5000)
    expect(reply.locator(".mention")).to_have_text("@ada")

    # Ada likes the reply; Olive sees the count change.
    reply.locator(".action--like").click()
    expect(reply.locator(".action--like")).to_have_attribute("aria-pressed", "true")
    olive_reply = olive.locator("article.post", has_text="Welcome")
    expect(olive_reply.locator(".action__count")).to_have_text("1", timeout=5000)

    # Ada deletes her post; it turns into a placeholder for Olive (the reply keeps its thread).
    ada.once("dialog", lambda dialog: dialog.accept())
    ada.locator("article.post", has_text="Hello from Ada").get_by_role(
        "button", name="Delete this post"
    ).click()
    expect(olive.locator(".post__deleted")).to_have_text("This post was deleted.", timeout=5000)
    expect(olive.locator("article.post", has_text="Welcome")).to_be_visible()

    # Nobody sees a delete button on someone else's post.
    expect(
        olive.locator("article.post", has_text="Welcome").locator("form[data-action=delete]")
    ).to_be_visible()
    expect(
        ada.locator("article.post", has_text="Welcome").locator("form[data-action=delete]")
    ).to_be_hidden()


def test_composer_counts_graphemes_and_explains_errors(
    live: str, conference: Any, browser: Any
) -> None:
    ada = sign_in(browser, live, "ada")
    open_room(ada, live, conference.session)
    box = ada.get_by_label("Your post")
    box.fill("👩‍👩‍👧‍👦" * 10)
    expect(ada.locator("#composer-count")).to_have_text("270 left")
    box.fill("x" * 285)
    expect(ada.locator("#composer-count")).to_have_text("5 over the limit")
    expect(ada.get_by_role("button", name="Post", exact=True)).to_be_disabled()


def test_anonymous_reader_sees_posts_live_and_is_invited_to_sign_in(
    live: str, conference: Any, browser: Any
) -> None:
    reader = browser.new_context().new_page()
    open_room(reader, live, conference.session)
    expect(reader.get_by_role("link", name="Sign in", exact=True).first).to_be_visible()
    with conference.attendee.api(live) as api:
        api.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "for everyone"})
    expect(reader.locator("article.post", has_text="for everyone")).to_be_visible(timeout=5000)


def test_room_on_a_phone(live: str, conference: Any, browser: Any) -> None:
    with conference.attendee.api(live) as api:
        for i in range(3):
            api.post(
                f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": f"Note {i} #conf"}
            )
    phone = sign_in(
        browser, live, "ada", viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    open_room(phone, live, conference.session)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "room-phone.png"), full_page=True)


def test_reconnects_and_catches_up(live: str, conference: Any, browser: Any) -> None:
    page = sign_in(browser, live, "ada")
    open_room(page, live, conference.session)
    context = page.context
    context.set_offline(True)
    with conference.organiser.api(live) as api:
        api.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "while offline"})
    context.set_offline(False)
    expect(page.locator("article.post", has_text="while offline")).to_be_visible(timeout=15000)


def test_a_phone_shows_posts_on_the_first_screen(live: str, conference: Any, browser: Any) -> None:
    """On a 390x844 phone the session page opens on the conversation, not only on its
    details and the composer; the composer's hints come back when someone writes."""
    from backchannel.feed.actions import create_post

    for i in range(3):
        create_post(conference.organiser.user, conference.session, body=f"From the stage {i}")
    for who in ("olive", None):  # an organiser (the fullest page), and a reader signed out
        if who:
            phone = sign_in(browser, live, who, viewport={"width": 390, "height": 844})
        else:
            phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        phone.goto(f"{live}/e/conf/s/{conference.session.pk}/")
        expect(phone.locator("article.post").first).to_be_in_viewport(ratio=1)
    ada = sign_in(browser, live, "ada", viewport={"width": 390, "height": 844})
    ada.goto(f"{live}/e/conf/s/{conference.session.pk}/")
    expect(ada.locator("#composer-hint")).to_be_hidden()
    ada.get_by_label("Your post").focus()
    expect(ada.locator("#composer-hint")).to_be_visible()
