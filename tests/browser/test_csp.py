"""The Content-Security-Policy breaks nothing people use: every page kind loads and runs its
scripts in Chromium with no policy violation reported."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_feed import open_room, sign_in

pytestmark = pytest.mark.browser


def test_pages_run_under_the_policy_without_violations(
    live: str, conference: Any, browser: Any
) -> None:
    olive = sign_in(browser, live, "olive")
    violations: list[str] = []
    olive.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    olive.on("pageerror", lambda e: violations.append(str(e)))
    open_room(olive, live, conference.session)
    olive.get_by_label("Your post").fill("Hello from the policy test @ada #conf")
    olive.get_by_role("button", name="Post", exact=True).click()
    expect(olive.locator("article.post", has_text="policy test")).to_have_count(1)
    s = conference.session.pk
    for path in [
        f"/e/conf/s/{s}/questions/",
        f"/e/conf/s/{s}/presenter/",
        f"/e/conf/s/{s}/wall/",
        "/e/conf/moderation/",
        "/e/conf/analytics/",
        "/u/ada/",
        "/messages/",
        "/e/conf/manage/",
    ]:
        olive.goto(live + path)
        olive.wait_for_load_state("load")
    assert violations == []
