"""Accessibility: axe-core (npm, `package.json`, installed by `make test` with `npm ci`) runs in
Chromium over every kind of page, in the states people see them (empty, full, after "Load older
posts", on a phone), against WCAG 2.2 A/AA and axe's best practices: 0 violations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_live_feed import sign_in
from tests.conftest import require_service

# Run once: what axe-core checks is the markup, the same on either database (the PostgreSQL
# pass still runs every browser journey).
pytestmark = [pytest.mark.browser, pytest.mark.engine_independent, pytest.mark.long]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def axe_script() -> str:
    require_service(AXE.exists(), "axe-core (node_modules/axe-core: `npm ci`, run by make test)")
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, axe_script: str) -> list[str]:
    """axe's violations on the page as it is now, one readable line each."""
    page.evaluate(axe_script)
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate(f"axe.run(document, {json.dumps(options)})")
    lines = []
    for v in result["violations"]:
        where = "; ".join(
            f"{' '.join(n['target'])}: {n.get('failureSummary', '').splitlines()[-1].strip()}"
            for n in v["nodes"][:4]
        )
        lines.append(f"{v['id']} ({v['impact']}) {v['help']} -- {where}")
    return lines


@pytest.fixture
def full_event(conference: Any, make_person: Any) -> Any:
    """The conference as people find it mid-event: a long feed with replies and likes, Q&A,
    a poll, an article with comments, an organisation, messages, notifications, a report."""
    from django.utils import timezone

    from backchannel.blog import actions as blog
    from backchannel.events.models import Registration
    from backchannel.feed.actions import create_post, set_reaction
    from backchannel.feed.models import Post
    from backchannel.messaging.actions import send_message
    from backchannel.moderation.actions import report_post
    from backchannel.orgs import actions as orgs
    from backchannel.qa import actions as qa
    from backchannel.qa import polls

    olive, ada = conference.organiser.user, conference.attendee.user
    pat = make_person("pat", name="Pat Presenter").user
    Registration.objects.create(event=conference.event, user=pat, role="presenter")
    session = conference.session
    posts = [
        create_post(
            ada if i % 2 else olive,
            session,
            body=f"Point {i} from the keynote #conf @olive https://example.org/{i}",
        ).post
        for i in range(26)
    ]
    create_post(olive, session, body="Agreed, and well said.", reply_to=posts[-1].pk)
    # Old enough for the projector wall (it shows posts after a delay).
    Post.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    set_reaction(olive, posts[-2], kind="like", on=True)
    asked = [
        qa.ask(ada, session, body=f"How do schools take part, question {i}?").question
        for i in range(3)
    ]
    qa.set_status(olive, asked[0], status="answered")
    qa.set_status(olive, asked[1], status="dismissed")
    poll = polls.create_poll(
        olive, session, question="Which track next?", kind="single", options=["Policy", "Care"]
    )
    polls.set_status(olive, poll, status="open")
    polls.answer(ada, poll, options=[poll.options.first().pk])
    article = blog.create_article(
        olive,
        conference.event,
        title="What we heard on day one",
        body="## Highlights\n\nFamilies spoke first. [Slides](https://example.org/slides)",
        summary="The first day in brief.",
        tags=["recap"],
        publish=True,
    )
    blog.comment(ada, article, body="Thank you for writing this up.")
    acme = orgs.create_organisation(olive, slug="acme", name="Acme Care")
    orgs.add_member(olive, acme, handle="ada", role="member")
    orgs.publish_policy(olive, acme, body="## Care\n\nNever name a family.", disclaimer="Mine.")
    send_message(ada, "olive", body="Could we talk after the session?")
    send_message(olive, "ada", body="Yes, at the coffee stand.")
    report_post(ada, posts[0], reason="spam", note="Looks like an advert")
    return conference


def _pages(c: Any) -> list[str]:
    s, other = c.session.pk, c.other_session.pk
    today = dt.date.today().isoformat()
    return [
        "/",
        "/about/",
        "/guide/",
        "/e/conf/",
        "/e/conf/lobby/",
        f"/e/conf/s/{s}/",
        f"/e/conf/s/{other}/",  # an empty session
        f"/e/conf/s/{s}/questions/",
        f"/e/conf/s/{other}/questions/",
        f"/e/conf/s/{s}/presenter/",
        f"/e/conf/s/{s}/wall/",
        f"/e/conf/s/{s}/wall/?control=1",
        f"/e/conf/s/{s}/seats/",
        "/e/conf/card/",
        f"/e/conf/s/{s}/card/",
        f"/e/conf/s/{s}/archive/",
        f"/e/conf/s/{s}/analytics/",
        "/e/conf/tags/conf/",
        "/e/conf/following/",
        "/e/conf/search/",
        f"/e/conf/search/?q=keynote&from={today}",
        "/e/conf/export/",
        "/e/conf/analytics/",
        "/e/conf/blog/",
        "/e/conf/blog/new/",
        "/e/conf/manage/",
        "/e/conf/manage/sessions/new/",
        f"/e/conf/manage/sessions/{s}/",
        "/e/conf/transparency/",
        "/e/conf/moderation/",
        "/e/conf/moderation/log/",
        "/e/conf/moderation/people/",
        "/e/conf/moderation/filters/",
        "/blog/",
        "/blog/what-we-heard-on-day-one/",
        "/blog/what-we-heard-on-day-one/edit/",
        "/blog/tags/recap/",
        "/u/ada/",
        "/u/olive/",
        "/u/ada/followers/",
        "/notifications/",
        "/messages/",
        "/messages/ada/",
        "/notices/",
        "/settings/profile/",
        "/settings/tokens/",
        "/settings/account/",
        "/settings/notifications/",
        "/settings/data/",
        "/events/new/",
        "/join/",
        "/orgs/",
        "/orgs/acme/",
        "/orgs/acme/manage/",
        "/orgs/acme/policy/1/",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_kind_has_no_violations(
    live: str, full_event: Any, browser: Any, axe_script: str, scheme: str
) -> None:
    olive = sign_in(browser, live, "olive", color_scheme=scheme)
    found: dict[str, list[str]] = {}
    for path in _pages(full_event):
        answer = olive.goto(live + path)
        if answer is None or answer.status != 200:
            found[path] = [f"answered {answer.status if answer else None}"]
            continue
        if path.endswith("/wall/"):  # in the state the room sees: full of posts
            expect(olive.locator(".wall-post").first).to_be_visible()
        if problems := violations(olive, axe_script):
            found[path] = problems
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("colour", ["#ffd400", "#1b1f3b"])  # a brand's yellow, a brand's navy
def test_an_event_in_its_own_colours_has_no_violations(
    live: str, conference: Any, browser: Any, axe_script: str, scheme: str, colour: str
) -> None:
    event = conference.event
    event.accent_colour = colour
    event.save()
    s = conference.session.pk
    organiser = sign_in(browser, live, "olive", color_scheme=scheme)
    found: dict[str, list[str]] = {}
    for path in ["/e/conf/", f"/e/conf/s/{s}/", f"/e/conf/s/{s}/wall/", "/e/conf/card/"]:
        organiser.goto(live + path)
        assert "accent: #" in organiser.content(), path  # in the event's colours
        if problems := violations(organiser, axe_script):
            found[path] = problems
    assert found == {}, json.dumps(found, indent=1)


def test_signed_out_pages_and_forms_have_no_violations(
    live: str, full_event: Any, browser: Any, axe_script: str
) -> None:
    visitor = browser.new_context().new_page()
    found: dict[str, list[str]] = {}
    for path in [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password-reset/",
        "/e/conf/",
        f"/e/conf/s/{full_event.session.pk}/",
        f"/e/conf/s/{full_event.session.pk}/questions/",
        "/blog/what-we-heard-on-day-one/",
        "/u/ada/",
        "/no/such/page/",  # the 404 page
    ]:
        visitor.goto(live + path)
        if problems := violations(visitor, axe_script):
            found[path] = problems
    assert found == {}, json.dumps(found, indent=1)


def test_the_feed_after_load_older_and_on_a_phone_has_no_violations(
    live: str, full_event: Any, browser: Any, axe_script: str
) -> None:
    ada = sign_in(browser, live, "ada", viewport={"width": 390, "height": 844})
    ada.goto(f"{live}/e/conf/s/{full_event.session.pk}/")
    expect(ada.locator("#live-status")).to_have_attribute("data-state", "live")
    assert violations(ada, axe_script) == []
    older = ada.get_by_role("button", name="Load older posts")
    if older.count() == 0:
        older = ada.get_by_role("link", name="Load older posts")
    count = ada.locator("article.post").count()
    older.click()
    expect(ada.locator("article.post")).not_to_have_count(count)
    assert violations(ada, axe_script) == []
    # Pages with charts and wide tables, on the phone.
    olive = sign_in(browser, live, "olive", viewport={"width": 390, "height": 844})
    for path in ["/e/conf/analytics/", f"/e/conf/s/{full_event.session.pk}/questions/", "/"]:
        answer = olive.goto(live + path)
        assert answer is not None and answer.status == 200, path
        assert violations(olive, axe_script) == [], path
    # The composer with a caution finding shown, as an author sees it.
    ada.get_by_label("Your post").fill("My daughter Emma at Lincoln Elementary has autism")
    expect(ada.locator("#composer-caution")).to_be_visible(timeout=10000)
    assert violations(ada, axe_script) == []
