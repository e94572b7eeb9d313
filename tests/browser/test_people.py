"""People in a real browser: two people message each other live, a mention arrives in the
notification centre and the header's count without a reload, and the composer says who can
read a message."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.test_live_feed import open_room, sign_in


def test_direct_messages_between_two_people_live(
    live: str, conference: Any, make_person: Any, browser: Any
) -> None:
    make_person("amy", name="Amy Attendee")
    ada = sign_in(browser, live, "ada")
    amy = sign_in(browser, live, "amy")

    # Amy writes from Ada's profile; Ada is on another page and sees her count go up.
    ada.goto(f"{live}/u/olive/")
    amy.goto(f"{live}/u/ada/")
    amy.get_by_role("link", name="Message", exact=True).click()
    expect(amy.locator("#dm-privacy")).to_have_text(
        "Private: only you and @ada can read this conversation."
    )
    expect(amy.get_by_label("Message to @ada")).to_be_visible()
    amy.get_by_label("Message to @ada").fill("Lunch after the keynote?")
    amy.get_by_role("button", name="Send").click()
    expect(amy.locator(".dm--mine .dm__body")).to_have_text(["Lunch after the keynote?"])
    expect(amy.get_by_label("Message to @ada")).to_have_value("")

    badge = ada.locator('[data-count="messages"]')
    expect(badge).to_be_visible(timeout=5000)
    expect(badge.locator(".count-badge__n")).to_have_text("1")

    # Ada opens the conversation (read: the count clears), and answers; Amy sees it live.
    ada.get_by_role("link", name="Messages").click()
    ada.get_by_role("link", name="Amy Attendee").click()
    expect(ada.locator(".dm .dm__body")).to_have_text(["Lunch after the keynote?"])
    expect(ada.locator('[data-count="messages"]')).to_be_hidden()
    ada.get_by_label("Message to @amy").fill("Yes! Meet at the café.")
    ada.get_by_role("button", name="Send").click()
    expect(amy.locator(".dm .dm__body")).to_have_text(
        ["Lunch after the keynote?", "Yes! Meet at the café."], timeout=5000
    )
    # Amy reads it as it arrives, so her count does not rise.
    expect(amy.locator('[data-count="messages"]')).to_be_hidden()
    # The message Ada received can be reported; her own cannot.
    expect(ada.locator(".dm:not(.dm--mine) .dm__actions a")).to_have_text(["Report this message"])


def test_a_mention_arrives_in_the_notification_centre_live(
    live: str, conference: Any, browser: Any
) -> None:
    ada = sign_in(browser, live, "ada")
    olive = sign_in(browser, live, "olive")
    ada.goto(f"{live}/notifications/")
    expect(ada.locator(".notifications__empty")).to_be_visible()
    open_room(olive, live, conference.session)
    olive.get_by_label("Your post").fill("Great question from @ada earlier")
    olive.get_by_role("button", name="Post", exact=True).click()

    arrived = ada.locator(".notification", has_text="mentioned you in Keynote")
    expect(arrived).to_be_visible(timeout=5000)
    expect(ada.locator('[data-count="notifications"] .count-badge__n')).to_have_text("1")
    arrived.get_by_role("link").click()
    expect(ada.locator("article.post", has_text="Great question from")).to_be_visible()
    # The mention links to the profile.
    expect(
        ada.locator("article.post", has_text="Great question").get_by_role("link", name="@ada")
    ).to_have_attribute("href", "/u/ada/")


def test_a_cautioned_draft_can_be_sent_privately_instead(
    live: str, conference: Any, browser: Any
) -> None:
    from backchannel.feed.models import Post
    from backchannel.messaging.models import Message

    draft = "Jamie (12) was placed in foster care last spring."
    ada = sign_in(browser, live, "ada")
    open_room(ada, live, conference.session)
    ada.get_by_label("Your post").fill(draft)
    ada.get_by_role("button", name="Post", exact=True).click()
    expect(ada.get_by_role("button", name="Post anyway")).to_be_visible()
    ada.get_by_role("button", name="Send privately instead").click()

    expect(ada.get_by_role("heading", name="Send privately instead")).to_be_visible()
    expect(ada.get_by_label("Message")).to_have_value(draft)
    ada.get_by_label("To (handle)").fill("olive")
    ada.get_by_role("button", name="Send privately").click()
    expect(ada.locator("#dm-privacy")).to_contain_text("only you and @olive")
    expect(ada.locator(".dm--mine .dm__body")).to_have_text([draft])
    assert not Post.objects.filter(body=draft).exists()
    assert Message.objects.get().recipient.username == "olive"
