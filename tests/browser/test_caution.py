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
