"""The demo conference seeds idempotently, through the product's own actions."""

from __future__ import annotations

from typing import Any

import httpx

from backchannel.demo import PASSWORD, seed_demo
from backchannel.events.models import Event, Registration, Session
from backchannel.feed.models import Post, Reaction
from tests.support.web import PageSession


def counts() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        Session.objects.count(),
        Registration.objects.count(),
        Post.objects.count(),
        Reaction.objects.count(),
    )


def test_demo_seed_is_idempotent_and_usable(live: str) -> None:
    summary = seed_demo()
    assert summary.new_posts > 10
    first = counts()
    assert seed_demo().new_posts == 0
    assert counts() == first
    event = httpx.get(f"{live}/api/v1/events/ti2012").json()
    assert event["name"] == "Training Institutes 2012"
    kinds = {s["kind"] for s in event["sessions"]}
    assert {"plenary", "workshop"} <= kinds
    assert Registration.objects.filter(role="facilitator", user__username="casey").exists()
    page = PageSession(live)
    page.login("casey", PASSWORD)
    assert "@casey" in page.get("/e/ti2012/").text
    threads = httpx.get(f"{live}/e/ti2012/s/{event['sessions'][0]['id']}/").text
    assert "Tweet Seats" in threads


def test_demo_people_have_bios(db: Any) -> None:
    summary = seed_demo()
    assert all(person.bio for person in summary.people.values())
    # Casey posts under the Children's Wellbeing Network: its policy sets her disclaimer.
    casey = summary.people["casey"]
    casey.refresh_from_db()
    assert casey.disclaimer == "Views are my own, not the Network's."
    assert casey.affiliation == "Children's Wellbeing Network"
    assert casey.organisation is not None and casey.organisation.slug == "cwn"
