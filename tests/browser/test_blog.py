"""The blog in real browsers: a comment written under an article appears live in the linked
session's feed, marked as coming from the article, and a post written in the session appears
live under the article."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_feed import ARTIFACTS, sign_in

pytestmark = pytest.mark.browser


def test_article_comments_and_the_feed_meet_live(
    live: str, conference: Any, make_person: Any, browser: Any
) -> None:
    from backchannel.blog.actions import create_article
    from backchannel.events.actions import join_event

    article = create_article(
        conference.organiser.user,
        conference.event,
        title="Keynote: what we heard",
        body="Families first, and **listen** before you post.",
        tags=["keynote"],
        session=conference.session.pk,
        publish=True,
    )
    bea = make_person("bea", name="Bea Reader")
    join_event(bea.user, conference.event)

    room = sign_in(browser, live, "bea")
    room.goto(f"{live}/e/conf/s/{conference.session.pk}/")
    expect(room.locator("#live-status")).to_have_attribute("data-state", "live")

    reader = sign_in(browser, live, "ada", viewport={"width": 390, "height": 844})
    reader.goto(f"{live}/blog/{article.slug}/")
    expect(reader.get_by_role("heading", name="Keynote: what we heard")).to_be_visible()
    expect(
        reader.get_by_role("heading", name="What do you think? Join the conversation")
    ).to_be_visible()
    expect(reader.locator("#live-status")).to_have_attribute("data-state", "live")

    # A comment under the article reaches the session's feed at once, marked as from it.
    reader.get_by_label("Your comment").fill("Listening first is the whole point #conf")
    reader.get_by_role("button", name="Comment", exact=True).click()
    mine = reader.locator(".post", has_text="Listening first is the whole point")
    expect(mine).to_be_visible()
    in_room = room.locator(".post", has_text="Listening first is the whole point")
    expect(in_room).to_be_visible()
    expect(in_room.locator(".badge--article")).to_have_text("From the blog")
    expect(in_room.get_by_role("link", name="Keynote: what we heard")).to_have_attribute(
        "href", f"/blog/{article.slug}/"
    )

    # And what the room says reaches the article's page, unmarked.
    room.get_by_label("Your post").fill("Great keynote, the room is full")
    room.get_by_role("button", name="Post", exact=True).click()
    from_room = reader.locator(".post", has_text="Great keynote, the room is full")
    expect(from_room).to_be_visible()
    expect(from_room.locator(".badge--article")).to_have_count(0)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reader.screenshot(path=str(ARTIFACTS / "blog-article-phone.png"), full_page=True)
    room.screenshot(path=str(ARTIFACTS / "blog-comment-in-feed.png"), full_page=True)


def test_an_organiser_writes_and_publishes_an_article(
    live: str, conference: Any, browser: Any
) -> None:
    page = sign_in(browser, live, "olive")
    page.goto(f"{live}/e/conf/blog/")
    page.get_by_role("link", name="Write an article").click()
    page.get_by_label("Title").fill("After the conference")
    page.get_by_label("Summary").fill("What happens next.")
    page.get_by_label("Article").fill("## Next steps\n\nWe meet again in *spring*.")
    page.get_by_label("Tags").fill("next, spring")
    page.get_by_label("Comments join the feed of").select_option(label="Workshop")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="After the conference", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    expect(page.locator(".blog-article__body em")).to_have_text("spring")
    expect(page.get_by_role("link", name="#spring")).to_be_visible()
    expect(
        page.locator(".blog-article__about").get_by_role("link", name="Workshop")
    ).to_be_visible()
    page.goto(f"{live}/blog/")
    expect(page.get_by_role("link", name="After the conference")).to_be_visible()
