"""Q&A in the browser: two attendees ask and upvote; the presenter's view ranks and updates
live, and pinning a question shows it to the room as "now answering"."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_feed import sign_in

pytestmark = pytest.mark.browser


def test_ask_and_upvote_with_the_presenter_view_updating_live(
    live: str, conference: Any, make_person: Any, browser: Any
) -> None:
    from backchannel.events.models import Registration

    pat = make_person("pat", name="Pat Presenter")
    Registration.objects.create(event=conference.event, user=pat.user, role="presenter")
    conference.session.presenters.add(pat.user)
    questions = f"{live}/e/conf/s/{conference.session.pk}/questions/"

    presenter = sign_in(browser, live, "pat")
    presenter.goto(f"{live}/e/conf/s/{conference.session.pk}/presenter/")
    expect(presenter.locator("#live-status")).to_have_attribute("data-state", "live")

    ada = sign_in(browser, live, "ada")
    ada.goto(questions)
    expect(ada.locator("#live-status")).to_have_attribute("data-state", "live")
    ada.get_by_label("Your question").fill("Will the slides be shared after the session?")
    ada.get_by_role("button", name="Ask", exact=True).click()
    expect(ada.locator(".ask__status")).to_have_text("Your question is in.")

    olive = sign_in(browser, live, "olive")
    olive.goto(questions)
    olive.get_by_label("Your question").fill("Which states fund peer support today?")
    olive.get_by_role("button", name="Ask", exact=True).click()
    expect(olive.locator(".question")).to_have_count(2, timeout=5000)
    expect(olive.locator(".ask__status")).to_have_text("Your question is in.")

    # Olive starts typing a duplicate: the existing question is suggested, and she votes.
    olive.get_by_label("Your question").fill("are slides shared after")
    similar = olive.locator("#similar-questions")
    expect(similar).to_contain_text("Will the slides be shared", timeout=5000)
    similar.get_by_role("button", name="Vote for this").click()

    # The presenter's ranked list updates live: Ada's question (1 vote) first.
    ranked = presenter.locator("#questions .question")
    expect(ranked).to_have_count(2, timeout=5000)
    expect(ranked.first).to_contain_text("slides be shared")
    expect(ranked.first.locator(".vote__count")).to_have_text("1")

    # Ada cannot vote for her own question; she upvotes Olive's.
    own = ada.locator(".question", has_text="slides be shared").locator(".vote")
    expect(own).to_be_disabled()
    ada.locator(".question", has_text="peer support").locator(".vote").click()
    expect(ada.locator(".question", has_text="peer support").locator(".vote")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(
        presenter.locator(".question", has_text="peer support").locator(".vote__count")
    ).to_have_text("1")

    # The presenter answers the top question now: the room sees it pinned.
    expect(presenter.locator("#next-up")).to_contain_text("slides be shared")
    presenter.locator(".question", has_text="slides be shared").get_by_role(
        "button", name="Answer now"
    ).click()
    expect(ada.locator("#now-answering")).to_contain_text("slides be shared", timeout=5000)
    expect(presenter.locator("#now-answering")).to_be_visible()


def test_a_poll_chart_updates_live(
    live: str, conference: Any, make_person: Any, browser: Any
) -> None:
    from backchannel.qa import polls

    poll = polls.create_poll(
        conference.organiser.user,
        conference.session,
        question="Which topic next?",
        kind="single",
        options=["Funding", "Workforce"],
    )
    watcher = sign_in(browser, live, "olive")
    watcher.goto(f"{live}/e/conf/s/{conference.session.pk}/presenter/")
    expect(watcher.locator("#live-status")).to_have_attribute("data-state", "live")
    watcher.get_by_role("tab", name="Polls").click()  # the presenter board keeps polls apart
    watcher.locator(f"#poll-{poll.pk}").get_by_role("button", name="Open the poll").click()

    ada = sign_in(browser, live, "ada")
    ada.goto(f"{live}/e/conf/s/{conference.session.pk}/questions/")
    card = ada.locator(f"#poll-{poll.pk}")
    expect(card).to_contain_text("Open", timeout=5000)
    card.get_by_label("Workforce").check()
    card.get_by_role("button", name="Answer").click()
    expect(card).to_contain_text("You answered")

    # The presenter's chart and its text alternative show the answer without a reload.
    results = watcher.locator(f"#poll-{poll.pk} .poll__list")
    expect(results).to_contain_text("Workforce: 1", timeout=5000)
    drawn = watcher.evaluate(
        """id => {
            const chart = Chart.getChart(document.querySelector('#poll-' + id + ' canvas'));
            return chart ? chart.data.datasets[0].data : null;
        }""",
        poll.pk,
    )
    assert drawn == [0, 1]


def test_the_presenter_board_runs_the_questions_from_the_keyboard(
    live: str, conference: Any, make_person: Any, browser: Any
) -> None:
    """Next up is the top-voted open question; S skips it, J/K choose, P answers it now (the
    room sees it), A marks it answered; 1 and 2 switch between questions and polls."""
    from backchannel.qa import actions as qa

    session = conference.session
    asked = {
        body: qa.ask(author.user, session, body=body).question
        for body, author in [
            ("Will the slides be shared?", conference.attendee),
            ("Which states fund peer support?", conference.organiser),
            ("How do schools take part?", conference.attendee),
        ]
    }
    qa.set_vote(conference.attendee.user, asked["Which states fund peer support?"], on=True)

    olive = sign_in(browser, live, "olive", viewport={"width": 1024, "height": 768})  # a tablet
    board = f"{live}/e/conf/s/{session.pk}/presenter/"
    olive.goto(board)
    expect(olive.locator("#live-status")).to_have_attribute("data-state", "live")
    next_up = olive.locator("#next-up .next-up__body")
    expect(next_up).to_have_text("Which states fund peer support?")
    expect(olive.locator("#next-up")).to_contain_text("1 vote")

    ada = sign_in(browser, live, "ada")
    ada.goto(f"{live}/e/conf/s/{session.pk}/questions/")
    expect(ada.locator("#live-status")).to_have_attribute("data-state", "live")

    olive.keyboard.press("s")  # skipped: the next in line comes up, the skipped one goes last
    expect(next_up).to_have_text("Will the slides be shared?")
    olive.keyboard.press("j")
    expect(next_up).to_have_text("How do schools take part?")
    olive.keyboard.press("j")
    expect(next_up).to_have_text("Which states fund peer support?")
    olive.keyboard.press("k")
    expect(next_up).to_have_text("How do schools take part?")

    olive.keyboard.press("p")
    now = olive.locator("#now-answering .now-answering__body")
    expect(now).to_have_text("How do schools take part?")
    expect(ada.locator("#now-answering")).to_contain_text("How do schools take part?")
    expect(next_up).to_have_text("Will the slides be shared?")  # the queue moves on

    olive.keyboard.press("a")
    expect(olive.locator("#now-answering")).to_be_hidden()
    expect(ada.locator("#now-answering")).to_be_hidden()
    answered = olive.locator("#questions .question", has_text="How do schools take part?")
    expect(answered).to_have_attribute("data-status", "answered")

    # A key typed into a field is text, not a shortcut (Escape leaves the field); 2 and 1
    # switch tabs.
    olive.keyboard.press("2")
    expect(olive.get_by_role("tab", name="Polls")).to_have_attribute("aria-selected", "true")
    expect(olive.locator("#panel-questions")).to_be_hidden()
    olive.locator("#poll-question").fill("sap")
    expect(olive.locator("#poll-question")).to_have_value("sap")
    expect(olive.get_by_role("tab", name="Polls")).to_have_attribute("aria-selected", "true")
    olive.keyboard.press("Escape")  # leaves the field
    olive.keyboard.press("1")
    expect(olive.locator("#panel-questions")).to_be_visible()
    expect(next_up).to_have_text("Will the slides be shared?")
