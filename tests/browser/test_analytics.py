"""The organisers' dashboard in a real browser: the charts draw (checked on a screenshot of each
chart and in Chart.js's own data), and the PNG report downloads with them in it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from backchannel.feed.models import Post
from backchannel.qa.models import Question
from tests.browser.test_live_feed import ARTIFACTS, sign_in

pytestmark = pytest.mark.browser

TEAL = (0x0B, 0x55, 0x63)  # the posts' colour in analytics.js
ORANGE = (0xB8, 0x57, 0x2B)  # the questions'


def _pixels_near(png: bytes, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(image.width * image.height) or []
    return sum(
        count
        for count, pixel in colours
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
    )


def test_the_dashboard_draws_its_charts(live: str, conference: Any, browser: Any) -> None:
    from backchannel.qa.actions import ask, set_status

    session = conference.session
    start = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    with conference.attendee.api(live) as client:
        ids = [
            client.post(
                f"/api/v1/sessions/{session.pk}/posts", json={"body": f"Point {n} #conf #care"}
            ).json()["id"]
            for n in range(6)
        ]
    for n, pk in enumerate(ids):
        Post.objects.filter(pk=pk).update(created_at=start + dt.timedelta(minutes=10 + 5 * n))
    answered = ask(conference.attendee.user, session, body="Will the slides be shared?").question
    set_status(conference.organiser.user, answered, status="answered")
    ask(conference.attendee.user, session, body="What comes next?")
    Question.objects.filter(session=session).update(created_at=start + dt.timedelta(minutes=40))

    page = sign_in(browser, live, "olive", viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live}/e/conf/s/{session.pk}/analytics/")
    expect(page.get_by_role("heading", name="Keynote: analytics")).to_be_visible()

    # Chart.js holds the numbers the server counted.
    drawn = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('canvas'))
            .map((canvas) => [canvas.id, Chart.getChart(canvas)?.data.datasets[0].data ?? null]))"""
    )
    assert sum(drawn["chart-activity"]) == 6 and len(drawn["chart-activity"]) == 91
    assert drawn["chart-hashtags"] == [6, 6]
    assert drawn["chart-questions"] == [1, 1, 0, 0]
    assert errors == []

    # And the charts are really on the screen: a screenshot of each has its colours.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analytics-session.png"), full_page=True)
    activity = page.locator("#chart-activity").screenshot()
    assert _pixels_near(activity, TEAL) > 200, "no bars of posts were drawn"
    hashtags = page.locator("#chart-hashtags").screenshot()
    assert _pixels_near(hashtags, TEAL) > 2000, "no hashtag bars were drawn"
    questions = page.locator("#chart-questions").screenshot()
    assert _pixels_near(questions, ORANGE) > 500, "the open questions' slice is missing"
    # The start and end of the session are marked on the activity chart.
    expect(page.locator("#chart-activity")).to_have_attribute("role", "img")

    # The PNG report holds the charts too.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PNG report").click()
    download = download_info.value
    assert download.suggested_filename == "keynote-analytics.png"
    report = (ARTIFACTS / "analytics-report.png").resolve()
    download.save_as(report)
    png = report.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size[0] == 1200
    assert _pixels_near(png, TEAL) > 2000 and _pixels_near(png, ORANGE) > 500

    # The text alternatives are there for people who cannot see the charts.
    expect(page.get_by_text("#conf: 6 posts")).to_be_visible()
    page.get_by_text("The numbers").click()
    expect(page.get_by_role("table", name="Activity per 1 minute")).to_be_visible()


def test_the_dashboard_on_a_phone(live: str, conference: Any, browser: Any) -> None:
    with conference.attendee.api(live) as client:
        client.post(f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": "Hi #conf"})
    page = sign_in(browser, live, "olive", viewport={"width": 390, "height": 844})
    page.goto(f"{live}/e/conf/analytics/")
    expect(page.get_by_role("heading", name="Test Conference: analytics")).to_be_visible()
    # Nothing is wider than the screen.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(ARTIFACTS / "analytics-phone.png"), full_page=True)
    # Choosing a session and "Show" opens its dashboard.
    page.get_by_label("Dashboard of").select_option(label="Keynote")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Keynote: analytics")).to_be_visible()
