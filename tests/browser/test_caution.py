"""The composer's caution check in the browser: findings as the author types, "Post anyway"
after a 409, and crisis support that never blocks."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_feed import open_room, sign_in

pytestmark = pytest.mark.browser
CHILD = "Jamie (12) was placed in foster care last spring."


def test_the_composer_warns_as_you_type_and_asks_before_posting(
    live: str, conference: Any, browser: Any
) -> None:
    ada = sign_in(browser, live, "ada")
    open_room(ada, live, conference.session)
    composer = ada.get_by_label("Your post")
    composer.fill(CHILD)
    caution = ada.locator("#composer-caution")
    expect(caution).to_be_visible(timeout=5000)
    expect(caution.locator("q")).to_have_text("Jamie (12)")
    expect(caution).to_contain_text("could identify a child")
    # The passage is highlighted in place, behind the text being written.
    mark = ada.locator(".composer__highlights mark")
    expect(mark).to_have_text("Jamie (12)")
    expect(mark).to_have_attribute("data-kind", "child_identity")

    ada.get_by_role("button", name="Post", exact=True).click()
    anyway = ada.get_by_role("button", name="Post anyway")
    expect(anyway).to_be_visible()
    # "Edit the passage" puts the cursor on it, selected.
    ada.get_by_role("button", name="Edit the passage").click()
    selected = composer.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
    assert selected == "Jamie (12)"
    expect(ada.locator("article.post", has_text="Jamie (12)")).to_have_count(0)
    anyway.click()
    expect(ada.locator("article.post", has_text="Jamie (12)")).to_have_count(1, timeout=5000)
    expect(caution).to_be_hidden()

    # Crisis language: support appears, and posting is not blocked.
    composer.fill("Some days I want to die and nobody here knows.")
    support = ada.locator("#crisis-support")
    expect(support).to_be_visible(timeout=5000)
    expect(support).to_contain_text("988")
    ada.get_by_role("button", name="Post", exact=True).click()
    expect(ada.locator("article.post", has_text="nobody here knows")).to_have_count(1, timeout=5000)
    expect(support).to_be_visible()


def test_post_anyway_stays_on_offer_when_post_is_clicked_at_once(
    live: str, conference: Any, browser: Any
) -> None:
    """A harassing draft posted within the as-you-type check's delay: the warning comes with
    its buttons, and a check of the same draft afterwards does not take them away."""
    ada = sign_in(browser, live, "ada")
    open_room(ada, live, conference.session)
    composer = ada.get_by_label("Your post")
    text = "@jamal shut up, you are a joke of a speaker"
    with ada.expect_response(lambda r: r.url.endswith("/posts") and r.status == 409):
        composer.fill(text)
        ada.get_by_role("button", name="Post", exact=True).click()  # at once
    anyway = ada.get_by_role("button", name="Post anyway")
    privately = ada.get_by_role("button", name="Send privately instead")
    expect(anyway).to_be_visible()
    expect(privately).to_be_visible()
    # The as-you-type check runs again for the same draft (as it would once its delay is up):
    # its answer must leave the buttons where they are.
    with ada.expect_response(lambda r: "/caution/check" in r.url):
        composer.dispatch_event("input")
    expect(ada.locator("#composer-caution")).to_contain_text("attack on a person")
    expect(anyway).to_be_visible()
    expect(privately).to_be_visible()
    anyway.click()
    expect(ada.locator("article.post", has_text="joke of a speaker")).to_have_count(1, timeout=5000)


def test_crisis_resources_show_however_fast_the_post_is_sent(
    live: str, conference: Any, browser: Any
) -> None:
    """Pasted and posted at once (before any as-you-type check): the answer carries the
    resources, worded for someone writing about another person at risk."""
    ada = sign_in(browser, live, "ada")
    open_room(ada, live, conference.session)
    composer = ada.get_by_label("Your post")
    support = ada.locator("#crisis-support")
    expect(support).to_be_hidden()
    composer.fill("my colleague just messaged that she has a plan for tonight, to end it")
    ada.get_by_role("button", name="Post", exact=True).click()
    expect(ada.locator("article.post", has_text="a plan for tonight")).to_have_count(
        1, timeout=5000
    )
    expect(support).to_be_visible()
    expect(support).to_contain_text("Helping someone who may be at risk")
    expect(support).to_contain_text("call emergency services")
    expect(support).to_have_attribute("data-about", "someone_else")
