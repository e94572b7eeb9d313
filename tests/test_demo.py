"""The demo conference seeds idempotently, through the product's own actions."""

from __future__ import annotations

from typing import Any

from backchannel.demo import PASSWORD, seed_demo
from backchannel.events.models import Event, Registration, Session
from backchannel.feed.models import Post, Reaction
from tests.support import http
from tests.support.web import PageSession


def counts() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        Session.objects.count(),
        Registration.objects.count(),
        Post.objects.count(),
        Reaction.objects.count(),
    )


def test_demo_seed_is_idempotent_and_usable(site: str) -> None:
    summary = seed_demo()
    assert summary.new_posts > 10
    first = counts()
    assert seed_demo().new_posts == 0
    assert counts() == first
    event = http.get(f"{site}/api/v1/events/ti2012").json()
    assert event["name"] == "Training Institutes 2012"
    kinds = {s["kind"] for s in event["sessions"]}
    assert {"plenary", "workshop"} <= kinds
    assert Registration.objects.filter(role="facilitator", user__username="casey").exists()
    page = PageSession(site)
    page.login("casey", PASSWORD)
    assert "@casey" in page.get("/e/ti2012/").text
    threads = http.get(f"{site}/e/ti2012/s/{event['sessions'][0]['id']}/").text
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


def test_the_demo_is_running_now_and_follows_the_clock(site: str) -> None:
    """Seeded any day, the demo is on: a session is site with posts and questions, others come
    next; a run on a later day brings everything to the new now, together."""
    import datetime as dt

    from django.utils import timezone

    from backchannel.demo import DEMO_ANCHOR, SESSIONS, _move_in_time
    from backchannel.qa.models import Question

    seed_demo()
    event = Event.objects.get(slug="ti2012")
    now = timezone.now()
    workshop = Session.objects.get(event=event, title=SESSIONS[DEMO_ANCHOR][5])
    assert workshop.starts_at is not None and workshop.ends_at is not None
    assert workshop.starts_at <= now < workshop.ends_at
    assert event.starts_on <= now.astimezone(event.tz).date() <= event.ends_on
    page = http.get(f"{site}/e/ti2012/").text
    now_and_next = page[page.index('aria-label="Now and next"') :]
    now_and_next = now_and_next[: now_and_next.index("</section>")]
    assert "Now</h2>" in now_and_next and "Next</h2>" in now_and_next
    assert "Social media with a spirit of fun and caution" in now_and_next
    # Its posts were written during it (and a blog comment before it), never in the future.
    written = Post.objects.filter(session=workshop).values_list("created_at", flat=True)
    assert all(t <= now for t in written)
    assert sum(workshop.starts_at <= t for t in written) >= 5

    # Three days later (as if seeded then): the next run moves it all to the new now.
    _move_in_time(event, -dt.timedelta(days=3))
    workshop.refresh_from_db()
    assert workshop.ends_at is not None and workshop.ends_at < now
    post = Post.objects.filter(session=workshop).earliest("created_at")
    question = Question.objects.filter(session=workshop).earliest("created_at")
    before = (post.created_at - workshop.starts_at, question.created_at - workshop.starts_at)
    assert seed_demo().new_posts == 0
    workshop.refresh_from_db()
    post.refresh_from_db()
    question.refresh_from_db()
    assert workshop.starts_at is not None
    assert workshop.starts_at <= timezone.now() < workshop.ends_at  # type: ignore[operator]
    moved = (post.created_at - workshop.starts_at, question.created_at - workshop.starts_at)
    assert moved == before


def test_the_demo_shows_every_feature_working(site: str) -> None:
    """Questions with votes (one being answered now), polls (one open, one with results),
    Tweet Seats with a waitlist, and the wall and presenter view linked where people look."""
    from backchannel.demo import DEMO_ANCHOR, SESSIONS

    seed_demo()
    event = http.get(f"{site}/api/v1/events/ti2012").json()
    ids = {s["title"]: s["id"] for s in event["sessions"]}
    workshop = ids[SESSIONS[DEMO_ANCHOR][5]]
    opening = ids[SESSIONS[0][5]]

    questions = http.get(f"{site}/api/v1/sessions/{workshop}/questions").json()["questions"]
    assert len(questions) >= 3 and max(q["vote_count"] for q in questions) >= 3
    assert any(q["status"] == "answered" for q in questions)
    wall = http.get(f"{site}/api/v1/sessions/{workshop}/wall").json()
    assert wall["now_answering"] is not None and wall["poll"] is not None
    assert wall["post_ids"]  # the workshop's posts are old enough for the wall
    polls = http.get(f"{site}/api/v1/sessions/{opening}/polls").json()
    assert any(p["status"] == "closed" for p in polls)
    seats = http.get(f"{site}/api/v1/sessions/{ids[SESSIONS[9][5]]}/seats").json()
    assert seats["blocks"] and seats["blocks"][0]["waitlisted"] >= 1
    feed = http.get(f"{site}/api/v1/sessions/{opening}/posts").json()["posts"]
    assert any(p["tweet_seat"] for p in feed)

    # The wall is linked for everyone; the presenter view for the people who run the session.
    room = http.get(f"{site}/e/ti2012/s/{workshop}/").text
    assert f"/e/ti2012/s/{workshop}/wall/" in room and "/presenter/" not in room
    casey = PageSession(site)
    casey.login("casey", PASSWORD)
    assert f"/e/ti2012/s/{workshop}/presenter/" in casey.get(f"/e/ti2012/s/{workshop}/").text
    assert f"/e/ti2012/s/{workshop}/presenter/" in casey.get("/e/ti2012/").text
    assert casey.get(f"/e/ti2012/s/{workshop}/presenter/").status_code == 200
