"""Facilitators in the browser: the queue fills live as someone reports a post, and hiding it
from the queue takes it out of every open feed at once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_feed import open_room, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def facilitator(conference: Any, make_person: Any) -> Any:
    from backchannel.events.models import Registration

    fran = make_person("fran", name="Fran Facilitator")
    Registration.objects.create(event=conference.event, user=fran.user, role="facilitator")
    return fran


def test_the_queue_updates_live_and_hiding_reaches_every_feed(
    live: str, conference: Any, facilitator: Any, browser: Any
) -> None:
    from backchannel.feed.actions import create_post

    # Spam the caution check has no reason to stop (an insult would now wait for "Post anyway").
    spam = "Buy my coaching course, link in bio!!!"
    post = create_post(conference.attendee.user, conference.session, body=spam).post

    fran = sign_in(browser, live, "fran")
    fran.goto(f"{live}/e/conf/moderation/")
    expect(fran.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(fran.locator(".queue__empty")).to_be_visible()

    otto = sign_in(browser, live, "otto")
    open_room(otto, live, conference.session)
    article = otto.locator(f"#post-{post.pk}")
    expect(article).to_contain_text(spam)

    # Otto reports it from the feed (the report page, then back to the room).
    article.get_by_role("link", name="Report").click()
    otto.get_by_label("Spam or advertising").check()
    otto.get_by_role("button", name="Send report").click()
    expect(otto.locator(".message")).to_contain_text("The author is not told who reported")
    expect(otto.locator("#live-status")).to_have_attribute("data-state", "live")

    # Fran's queue shows it without a reload, and says so to screen readers.
    item = fran.locator(f"#queue-item-{post.pk}")
    expect(item).to_be_visible(timeout=5000)
    expect(item).to_contain_text(spam)
    expect(item).to_contain_text("Reported")
    expect(fran.locator("#queue-count")).to_have_text("1")
    expect(fran.locator("#queue-announcer")).to_contain_text("New item")

    # Hide, with a reason, from the queue: gone from the queue and from Otto's open feed.
    item.get_by_label("Reason").select_option("spam")
    item.get_by_role("button", name="Hide").click()
    expect(item).to_have_count(0, timeout=5000)
    expect(fran.locator(".queue__empty")).to_be_visible()
    expect(otto.locator(f"#post-{post.pk}")).to_have_count(0, timeout=5000)
    assert post.__class__.objects.get(pk=post.pk).status == "hidden"


def test_a_held_post_tells_its_author_and_appears_once_approved(
    live: str, conference: Any, facilitator: Any, browser: Any
) -> None:
    from backchannel.moderation.actions import set_session_moderation

    set_session_moderation(
        facilitator.user, conference.session, premoderated=True, slow_mode_seconds=0
    )
    ada = sign_in(browser, live, "ada")
    open_room(ada, live, conference.session)
    expect(ada.locator("#composer-moderation")).to_contain_text("once a facilitator approves")
    ada.get_by_label("Your post").fill("Is the recording shared afterwards?")
    ada.get_by_role("button", name="Post", exact=True).click()
    expect(ada.locator(".composer__error")).to_contain_text("waiting for a facilitator")
    expect(ada.locator("article.post", has_text="recording shared")).to_have_count(0)

    fran = sign_in(browser, live, "fran")
    fran.goto(f"{live}/e/conf/moderation/")
    item = fran.locator(".queue-item", has_text="recording shared")
    expect(item).to_contain_text("Waiting for approval")
    item.get_by_role("button", name="Approve").click()
    expect(item).to_have_count(0, timeout=5000)
    expect(ada.locator("article.post", has_text="recording shared")).to_have_count(1, timeout=5000)


def test_a_suspended_reader_is_told_and_others_carry_on(
    live: str, conference: Any, facilitator: Any, browser: Any
) -> None:
    from backchannel.moderation.actions import sanction

    ada = sign_in(browser, live, "ada")
    open_room(ada, live, conference.session)
    otto = sign_in(browser, live, "otto")
    open_room(otto, live, conference.session)
    sanction(
        facilitator.user,
        conference.event,
        conference.attendee.user,
        kind="suspend",
        reason="harassment",
    )
    status = ada.locator("#live-status")
    expect(status).to_have_attribute("data-state", "stopped", timeout=10000)
    expect(status).to_contain_text("See your notices")
    expect(otto.locator("#live-status")).to_have_attribute("data-state", "live")


def test_the_wall_shows_a_post_only_after_the_delay_and_nothing_when_paused(
    live: str, conference: Any, facilitator: Any, browser: Any
) -> None:
    from backchannel.feed.actions import create_post
    from backchannel.wall import actions as walls

    walls.configure(facilitator.user, conference.session, delay_seconds=3)
    screen = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
    screen.goto(f"{live}/e/conf/s/{conference.session.pk}/wall/")
    expect(screen.locator(".wall__qr svg")).to_be_visible()
    create_post(conference.attendee.user, conference.session, body="Heard in the hall")
    post = screen.locator(".wall-post", has_text="Heard in the hall")
    screen.wait_for_timeout(1500)
    expect(post).to_have_count(0)  # not before the delay
    expect(post).to_have_count(1, timeout=10000)

    # One click from a facilitator's screen blanks the wall at once.
    fran = sign_in(browser, live, "fran")
    fran.goto(f"{live}/e/conf/s/{conference.session.pk}/wall/")
    fran.get_by_role("button", name="Pause the wall").click()
    expect(screen.locator(".wall__paused")).to_be_visible(timeout=3000)
    expect(screen.locator(".wall-post")).to_have_count(0)


def test_a_facilitator_turns_on_approval_and_approves_a_post_from_the_wall_page(
    live: str, conference: Any, facilitator: Any, browser: Any
) -> None:
    from backchannel.feed.actions import create_post

    create_post(conference.attendee.user, conference.session, body="Worth projecting")
    screen = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
    screen.goto(f"{live}/e/conf/s/{conference.session.pk}/wall/")
    fran = sign_in(browser, live, "fran")
    fran.goto(f"{live}/e/conf/s/{conference.session.pk}/wall/")
    fran.get_by_role("link", name="Choose what it shows").click()
    fran.get_by_label("Only the posts we approve").check()
    fran.get_by_role("button", name="Save").click()
    expect(fran.get_by_text("settings are saved")).to_be_visible()
    expect(fran.locator(".wall__mode")).to_have_text("Shows approved posts only")
    fran.get_by_role("button", name="Show on the wall").click()
    expect(fran.get_by_role("button", name="On the wall")).to_have_attribute("aria-pressed", "true")
    expect(screen.locator(".wall-post", has_text="Worth projecting")).to_have_count(
        1, timeout=10000
    )
