"""The demo conference: "Training Institutes 2012" (ti2012), seeded idempotently.

Everything is written through the same actions the product uses, and every post carries a
client_id, so running the seed twice adds nothing. The people and organisations are invented.

The event is running whenever the demo is seeded: its two days are placed so that the social
media workshop started an hour ago (to the quarter hour), in this machine's time zone
(`schedule_shift`), and a later run moves everything (sessions, posts, questions, polls, seats,
the article) to the new "now" together, so "Now" and "Next", the presenter's clock and analytics
always have something to show. Its content is the 2012 conference's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from backchannel.accounts import actions as account_actions
from backchannel.accounts.models import User
from backchannel.blog import actions as blog_actions
from backchannel.blog.models import Article
from backchannel.events import actions as event_actions
from backchannel.events import queries as event_queries
from backchannel.events import seats
from backchannel.events.models import Event, Registration, Room, SeatBlock, SeatReservation, Session
from backchannel.feed import actions as feed_actions
from backchannel.feed.models import Post, Reaction
from backchannel.messaging.actions import send_message
from backchannel.orgs import actions as org_actions
from backchannel.orgs import queries as org_queries
from backchannel.qa import actions as qa
from backchannel.qa import polls
from backchannel.qa.models import Poll, PollResponse, Question, Vote

SLUG = "ti2012"
PASSWORD = "ti2012-demo-pass"  # noqa: S105 (the demo accounts' published password)
# On the demo's clock, seeding happens at day 0, 14:30: an hour into the social media workshop
# (13:30-15:00, SESSIONS[DEMO_ANCHOR]; its posts and questions are from its first 50 minutes),
# the morning's sessions over and the afternoon's to come.
DEMO_NOW = (0, "14:30")
DEMO_ANCHOR = 3

PEOPLE: list[dict[str, str]] = [
    # handle, name, affiliation, disclaimer, bio, role
    {
        "handle": "organiser",
        "name": "Morgan Lee",
        "affiliation": "Training Institutes team",
        "disclaimer": "",
        "role": "organiser",
        "bio": "Runs the Training Institutes programme. Ask me anything about rooms and schedules.",
    },
    {
        "handle": "casey",
        "name": "Casey Morgan",
        "affiliation": "Children's Wellbeing Network",
        "disclaimer": "Views are my own.",
        "role": "facilitator",
        "bio": "Director of Community Management. Social media evangelist, organisational "
        "development, knitting. Facilitating the #TI2012 backchannel.",
    },
    {
        "handle": "dr_rivera",
        "name": "Dr. Ana Rivera",
        "affiliation": "Center for Child Health Policy",
        "disclaimer": "",
        "role": "presenter",
        "bio": "Researcher and clinician working on systems of care for children and families.",
    },
    {
        "handle": "dr_okafor",
        "name": "Dr. Chidi Okafor",
        "affiliation": "State Dept. of Education",
        "disclaimer": "Views are my own.",
        "role": "presenter",
        "bio": "School mental health lead. Former teacher. Trauma-informed everything.",
    },
    {
        "handle": "jamal",
        "name": "Jamal Carter",
        "affiliation": "Youth MOVE chapter",
        "disclaimer": "",
        "role": "presenter",
        "bio": "Youth advocate. Nothing about us without us.",
    },
    {
        "handle": "maria_f",
        "name": "Maria Flores",
        "affiliation": "Family-run peer network",
        "disclaimer": "",
        "role": "presenter",
        "bio": "Family peer specialist and parent. Sustaining peer support since 2004.",
    },
    {
        "handle": "lin_wei",
        "name": "Lin Wei",
        "affiliation": "Evaluation partners",
        "disclaimer": "Views are my own.",
        "role": "presenter",
        "bio": "Evaluator. Dashboards, outcomes, and the questions behind them.",
    },
    {
        "handle": "sam_k",
        "name": "Sam Kowalski",
        "affiliation": "County behavioral health",
        "disclaimer": "Views are my own.",
        "role": "attendee",
        "bio": "Care coordinator. First Training Institutes!",
    },
    {
        "handle": "priya",
        "name": "Priya Natarajan",
        "affiliation": "",
        "disclaimer": "",
        "role": "attendee",
        "bio": "Child psychologist in community practice.",
    },
    {
        "handle": "tomas",
        "name": "Tomás Herrera",
        "affiliation": "Tribal health program",
        "disclaimer": "Views are my own.",
        "role": "attendee",
        "bio": "Cultural and linguistic competence in practice.",
    },
    {
        "handle": "grace_h",
        "name": "Grace Huang",
        "affiliation": "",
        "disclaimer": "",
        "role": "attendee",
        "bio": "Parent advocate and blogger.",
    },
    {
        "handle": "devon",
        "name": "Devon Price",
        "affiliation": "Statewide family organization",
        "disclaimer": "Views are my own.",
        "role": "attendee",
        "bio": "Policy and communications. Learning to live-post.",
    },
    {
        "handle": "aisha",
        "name": "Aisha Bello",
        "affiliation": "",
        "disclaimer": "",
        "role": "attendee",
        "bio": "School social worker.",
    },
    {
        "handle": "ben_t",
        "name": "Ben Thompson",
        "affiliation": "Juvenile justice reform project",
        "disclaimer": "Views are my own.",
        "role": "attendee",
        "bio": "Diversion programmes and family engagement.",
    },
    {
        "handle": "nora",
        "name": "Nora Lindqvist",
        "affiliation": "",
        "disclaimer": "",
        "role": "attendee",
        "bio": "Early childhood mental health consultant.",
    },
    {
        "handle": "kofi",
        "name": "Kofi Mensah",
        "affiliation": "Peer support network",
        "disclaimer": "",
        "role": "attendee",
        "bio": "Peer support specialist and trainer.",
    },
    {
        "handle": "elena",
        "name": "Elena Rossi",
        "affiliation": "",
        "disclaimer": "",
        "role": "attendee",
        "bio": "Graduate student, social work.",
    },
    {
        "handle": "ravi",
        "name": "Ravi Shah",
        "affiliation": "Health IT vendor",
        "disclaimer": "Views are my own.",
        "role": "attendee",
        "bio": "Data, privacy, and people.",
    },
    {
        "handle": "hannah",
        "name": "Hannah Okoye",
        "affiliation": "",
        "disclaimer": "",
        "role": "attendee",
        "bio": "Family partner at a community mental health center.",
    },
]

ROOMS = ["Grand Ballroom", "Salon A", "Salon B", "Salon C", "Foyer"]

# (day offset, start, end, kind, room, title, presenters, hashtag, abstract)
SESSIONS: list[tuple[int, str, str, str, str, str, list[str], str, str]] = [
    (
        0,
        "08:30",
        "10:00",
        "plenary",
        "Grand Ballroom",
        "Opening plenary: Systems of care that work for families",
        ["dr_rivera", "maria_f"],
        "TIopen",
        "Where systems of care stand in 2012, what families tell us works, and what the next ten "
        "years ask of all of us. Tweet Seats are reserved at the front left.",
    ),
    (
        0,
        "10:30",
        "12:00",
        "workshop",
        "Salon A",
        "Youth voice in system design",
        ["jamal"],
        "youthvoice",
        "Young people who have used services lead a working session on involving youth as "
        "partners, not props.",
    ),
    (
        0,
        "10:30",
        "12:00",
        "workshop",
        "Salon B",
        "Trauma-informed schools: from policy to classroom",
        ["dr_okafor"],
        "",
        "What it takes for a district to move from a trauma-informed policy to daily practice.",
    ),
    (
        0,
        "13:30",
        "15:00",
        "workshop",
        "Salon C",
        "Social media with a spirit of fun and caution",
        ["casey"],
        "smchat",
        "Why social media belongs in children's mental health, how to write an organisational "
        "social media policy, and how to post about your work without identifying anyone.",
    ),
    (
        0,
        "15:30",
        "17:00",
        "workshop",
        "Salon A",
        "Family-run organizations: sustaining peer support",
        ["maria_f"],
        "",
        "Funding, supervision and burnout: keeping family peer support going.",
    ),
    (
        0,
        "17:30",
        "19:00",
        "poster",
        "Foyer",
        "Poster session: evaluating systems of care",
        ["lin_wei"],
        "",
        "Twenty posters on outcomes, fidelity and the family experience of care.",
    ),
    (
        1,
        "08:30",
        "10:00",
        "plenary",
        "Grand Ballroom",
        "Plenary: Early childhood mental health across systems",
        ["dr_rivera"],
        "",
        "Home visiting, child care consultation and primary care: building one system for young "
        "children.",
    ),
    (
        1,
        "10:30",
        "12:00",
        "workshop",
        "Salon B",
        "Cultural and linguistic competence in practice",
        ["jamal", "maria_f"],
        "",
        "Practical steps for agencies, from interpreters to community advisory boards.",
    ),
    (
        1,
        "10:30",
        "12:00",
        "workshop",
        "Salon C",
        "Data dashboards for system of care communities",
        ["lin_wei"],
        "",
        "Using data to tell your story without losing the people behind the numbers.",
    ),
    (
        1,
        "13:30",
        "15:00",
        "plenary",
        "Grand Ballroom",
        "Closing plenary: What we heard",
        ["dr_okafor", "jamal"],
        "",
        "The week in review, with highlights from the backchannel.",
    ),
]

# (session index or None for the lobby, minutes after start, author, text, reply to key, key)
POSTS: list[tuple[int | None, int, str, str, str | None, str]] = [
    (
        None,
        -600,
        "casey",
        "Welcome to the #TI2012 backchannel! Say hello, find your sessions, "
        "and think before you post: this feed is public.",
        None,
        "welcome",
    ),
    (
        None,
        -590,
        "sam_k",
        "Hello from my first Training Institutes! Who else is here for the "
        "care coordination track?",
        "welcome",
        "hello-sam",
    ),
    (None, -585, "priya", "@sam_k me! See you at the opening plenary.", "hello-sam", "hi-priya"),
    (
        0,
        5,
        "casey",
        "We're live from the opening plenary. The Tweet Seats are front left, come "
        "join us if you want a hand crafting your first post. #TI2012",
        None,
        "open-1",
    ),
    (
        0,
        12,
        "devon",
        "\"Families are not a stakeholder group, they are the system's reason for "
        'being." @dr_rivera #TI2012 #TIopen',
        None,
        "open-2",
    ),
    (0, 14, "grace_h", "Yes! Say it louder for the people in the back.", "open-2", "open-3"),
    (
        0,
        20,
        "tomas",
        "Would love to hear how tribal communities fit into the national picture. #TIopen",
        None,
        "open-4",
    ),
    (
        0,
        31,
        "maria_f",
        "@tomas great question, we'll come back to it in the Q&A.",
        "open-4",
        "open-5",
    ),
    (0, 40, "kofi", "Peer support got a whole slide. Progress. #TI2012", None, "open-6"),
    (0, 55, "nora", "Slides for this plenary: https://example.org/ti2012/opening", None, "open-7"),
    (
        3,
        4,
        "casey",
        "Starting now: social media with a spirit of fun and caution. Tip one: "
        "go back to your organisation and check it has a social media policy. #smchat",
        None,
        "sm-1",
    ),
    (
        3,
        15,
        "ben_t",
        "A policy protects employees as much as the organisation. Never thought "
        "about it that way. #smchat",
        None,
        "sm-2",
    ),
    (
        3,
        22,
        "casey",
        'And if you post from a personal account, say so. "Views are my own" on '
        "your profile shows next to every post here.",
        "sm-2",
        "sm-3",
    ),
    (
        3,
        30,
        "aisha",
        "How do we share a success story without identifying the family? Asking "
        "for every school social worker. #smchat",
        None,
        "sm-4",
    ),
    (
        3,
        36,
        "casey",
        "@aisha de-identify, then ask: could someone in their town recognise them? "
        "If yes, don't post it. Backchannel will nudge you too.",
        "sm-4",
        "sm-5",
    ),
    (
        3,
        50,
        "ravi",
        "Great session. Social media belongs in children's mental health, and so "
        "does thinking before you post. #TI2012 #smchat",
        None,
        "sm-6",
    ),
    (1, 10, "jamal", "Nothing about us without us. Let's get to work. #youthvoice", None, "yv-1"),
    (
        1,
        25,
        "elena",
        "Youth advisory boards that actually control a budget. Taking notes. #youthvoice",
        None,
        "yv-2",
    ),
]

LIKES: dict[str, list[str]] = {
    "welcome": ["sam_k", "priya", "devon", "grace_h", "kofi"],
    "open-2": ["grace_h", "maria_f", "casey", "kofi", "hannah", "elena"],
    "open-4": ["jamal", "maria_f"],
    "sm-1": ["ben_t", "aisha", "ravi"],
    "sm-5": ["aisha", "priya", "hannah"],
    "yv-1": ["elena", "kofi", "tomas"],
}


@dataclass
class DemoSummary:
    event: Event
    people: dict[str, User] = field(default_factory=dict)
    new_posts: int = 0

    def describe(self, url: str) -> str:
        lines = [
            "",
            f"Demo event ready: {self.event.name} -> {url}/e/{self.event.slug}/",
            f"  posts added this run: {self.new_posts}",
            f"  every demo account's password: {PASSWORD}",
            "  organiser:   organiser",
            "  facilitator: casey",
            "  presenters:  dr_rivera, dr_okafor, jamal, maria_f, lin_wei",
            "  attendees:   sam_k, priya, tomas, grace_h, devon, aisha, ben_t, nora, kofi, ...",
            "Open it in two browsers (or one private window), sign in as two people, and talk.",
            "",
        ]
        return "\n".join(lines)


def _person(spec: dict[str, str]) -> User:
    user = User.objects.filter(username=spec["handle"]).first()
    if user is None:
        user = account_actions.sign_up(
            handle=spec["handle"], password=PASSWORD, display_name=spec["name"]
        )
    posts_under_organisation = user.organisation_id is not None  # its policy sets these
    return account_actions.update_profile(
        user,
        display_name=spec["name"],
        bio=spec["bio"],
        affiliation=user.affiliation if posts_under_organisation else spec["affiliation"],
        disclaimer=user.disclaimer if posts_under_organisation else spec["disclaimer"],
    )


def _at(day: dt.date, hhmm: str, tz: dt.tzinfo) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def machine_timezone() -> str:
    """The IANA name of this machine's time zone (TZ, /etc/timezone, /etc/localtime), or UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError):
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        try:
            if name:
                zoneinfo.ZoneInfo(name)
                return name
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def schedule_shift(tz: dt.tzinfo, now: dt.datetime | None = None) -> tuple[dt.date, dt.timedelta]:
    """(day 0, shift): session times are `_at(day 0 + offset, hh:mm) + shift`, which puts the
    demo clock's DEMO_NOW at the present moment, to the quarter hour below (so sessions start
    on the quarter hour, and the workshop is 60 to 75 minutes in)."""
    now = (now or timezone.now()).astimezone(tz)
    now = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    day0 = now.date()
    return day0, now - _at(day0 + dt.timedelta(days=DEMO_NOW[0]), DEMO_NOW[1], tz)


def _scheduled(
    day0: dt.date, shift: dt.timedelta, offset: int, hhmm: str, tz: dt.tzinfo
) -> dt.datetime:
    return _at(day0 + dt.timedelta(days=offset), hhmm, tz) + shift


def _move_in_time(event: Event, delta: dt.timedelta) -> None:
    """Move everything dated in the demo event by `delta`, together, so it stays consistent."""

    def move(queryset: Any, *fields: str) -> None:
        queryset.update(**{name: F(name) + delta for name in fields})

    move(Session.objects.filter(event=event), "starts_at", "ends_at")
    posts = Post.objects.filter(session__event=event)
    move(posts, "created_at", "deleted_at", "wall_approved_at")
    move(Reaction.objects.filter(post__session__event=event), "created_at")
    move(Question.objects.filter(session__event=event), "created_at", "edited_at", "answered_at")
    move(Vote.objects.filter(question__session__event=event), "created_at")
    move(Poll.objects.filter(session__event=event), "created_at", "opened_at", "closed_at")
    move(PollResponse.objects.filter(poll__session__event=event), "created_at")
    move(SeatBlock.objects.filter(session__event=event), "created_at")
    move(SeatReservation.objects.filter(session__event=event), "created_at", "checked_in_at")
    move(Article.objects.filter(event=event), "published_at")


CODE_OF_CONDUCT = """\
We are here to learn from each other about children's mental health, with **a spirit of fun
and caution**.

- **Protect children and families.** Never post names, initials with ages, schools, towns or
  diagnoses that could identify a child or a family, even in a story told with love.
- **Speak for yourself.** Say whom you work for, and that your views are your own.
- **Be kind.** Disagree with ideas, not people. No insults, no harassment.
- **Look after each other.** If a post worries you, report it: the facilitators (green
  lanyards) read every report, quietly.
"""

NETWORK_POLICY = """\
## Why we post

We share what we learn so families everywhere can benefit. Post with care: everything is public
and stays public.

## What we never post

- Anything that could identify a family we work with: names, initials, ages with places.
- Internal programme names and funder negotiations.

## How we post

Say that your views are your own. When unsure, ask the communications team before posting.
"""


def _network(people: dict[str, User]) -> None:
    """The Children's Wellbeing Network, whose social-media policy Casey posts under."""
    casey = people["casey"]
    organisation = org_queries.organisations().filter(slug="cwn").first()
    if organisation is None:
        organisation = org_actions.create_organisation(
            casey,
            slug="cwn",
            name="Children's Wellbeing Network",
            description="A network of family-run organisations and providers.",
        )
        org_actions.publish_policy(
            casey,
            organisation,
            body=NETWORK_POLICY,
            disclaimer="Views are my own, not the Network's.",
            terms_to_avoid="Project Lighthouse\nBridgeway Foundation",
            guidance="Never identify a family we serve. Say your views are your own.",
        )
    policy = org_queries.current_policy(organisation)
    assert policy is not None
    org_actions.acknowledge(casey, policy)
    if casey.organisation_id != organisation.pk:
        org_actions.set_affiliation(casey, organisation)


@transaction.atomic
def _event_and_sessions(people: dict[str, User]) -> tuple[Event, list[Session]]:
    organiser = people["organiser"]
    tz_name = machine_timezone()
    tz = zoneinfo.ZoneInfo(tz_name)
    day0, shift = schedule_shift(tz)
    first = _scheduled(day0, shift, SESSIONS[0][0], SESSIONS[0][1], tz)
    last = max(_scheduled(day0, shift, d, end, tz) for d, _, end, *_ in SESSIONS)
    event = event_queries.find_event(SLUG)
    if event is not None:
        _bring_to_now(event, day0, shift, tz)
    if event is None:
        event = event_actions.create_event(
            organiser,
            slug=SLUG,
            name="Training Institutes 2012",
            hashtag="TI2012",
            description=(
                "Two days on children's mental health and systems of care, with a live "
                "backchannel for the first time: talk with presenters and each other in every "
                "session, with a spirit of fun and caution."
            ),
            venue="Conference hotel, grand ballroom and salons",
            starts_on=first.astimezone(tz).date(),
            ends_on=last.astimezone(tz).date(),
            timezone=tz_name,
            access=Event.Access.PUBLIC,
            code_of_conduct=CODE_OF_CONDUCT,
        )
    if not event.federates:  # the demo shows federation (docs/federation.md)
        event.federates = True
        event.save(update_fields=["federates"])
    for name in ROOMS:
        if not Room.objects.filter(event=event, name=name).exists():
            event_actions.create_room(organiser, event, name=name)
    rooms = {r.name: r.pk for r in event.rooms.all()}
    sessions = []
    for offset, start, end, kind, room, title, presenters, tag, abstract in SESSIONS:
        session = event.sessions.filter(title=title).first()
        if session is None:
            session = event_actions.create_session(
                organiser,
                event,
                title=title,
                kind=kind,
                room_id=rooms[room],
                starts_at=_scheduled(day0, shift, offset, start, tz),
                ends_at=_scheduled(day0, shift, offset, end, tz),
                hashtag=tag,
                abstract=abstract,
                presenters=presenters,
            )
        sessions.append(session)
    for spec in PEOPLE:
        user = people[spec["handle"]]
        registration = event_actions.join_event(user, event, accept_code_of_conduct=True)
        if registration.conduct_accepted_at is None:  # presenters were added by the organiser
            registration = event_actions.accept_code_of_conduct(user, event)
        if spec["role"] == Registration.Role.FACILITATOR and registration.role != spec["role"]:
            registration.role = Registration.Role.FACILITATOR
            registration.save(update_fields=["role"])
    return event, sessions


def _bring_to_now(event: Event, day0: dt.date, shift: dt.timedelta, tz: dt.tzinfo) -> None:
    """A demo seeded on an earlier day (or hour): move it to now, in this machine's zone."""
    anchor_title = SESSIONS[DEMO_ANCHOR][5]
    anchor = event.sessions.filter(title=anchor_title).first()
    if anchor is None or anchor.starts_at is None:
        return
    offset, start = SESSIONS[DEMO_ANCHOR][0], SESSIONS[DEMO_ANCHOR][1]
    delta = _scheduled(day0, shift, offset, start, tz) - anchor.starts_at
    if abs(delta) >= dt.timedelta(minutes=15):
        _move_in_time(event, delta)
    starts = [s.starts_at for s in event.sessions.all() if s.starts_at is not None]
    ends = [s.ends_at for s in event.sessions.all() if s.ends_at is not None]
    zone = getattr(tz, "key", "UTC")
    Event.objects.filter(pk=event.pk).update(
        timezone=zone,
        starts_on=min(starts).astimezone(tz).date(),
        ends_on=max(ends).astimezone(tz).date(),
    )
    event.refresh_from_db()


def seed_demo() -> DemoSummary:
    people = {spec["handle"]: _person(spec) for spec in PEOPLE}
    _network(people)
    event, sessions = _event_and_sessions(people)
    _tweet_seats(people, sessions)  # before the posts: posts from a reserved seat say so
    summary = DemoSummary(event=event, people=people)
    lobby = event_queries.lobby_of(event)
    posted: dict[str, Post] = {}
    for index, minutes, author, text, reply_key, key in POSTS:
        session = lobby if index is None else sessions[index]
        result = feed_actions.create_post(
            people[author],
            session,
            body=text,
            reply_to=posted[reply_key].pk if reply_key else None,
            client_id=f"demo-{key}",
        )
        posted[key] = result.post
        if result.created:
            summary.new_posts += 1
            # Date demo posts to when they were written, during their sessions.
            anchor = sessions[0].starts_at if index is None else session.starts_at
            assert anchor is not None
            Post.objects.filter(pk=result.post.pk).update(
                created_at=anchor + dt.timedelta(minutes=minutes)
            )
    for key, handles in LIKES.items():
        for handle in handles:
            feed_actions.set_reaction(people[handle], posted[key], kind=Reaction.Kind.LIKE, on=True)
    _people_network(people)
    _blog(people, event, sessions)
    _questions(people, sessions)
    _polls(people, sessions)
    return summary


# Tweet Seats at both plenaries: the opening one (over: its live-posters' posts carry the
# badge) and the closing one (tomorrow: seats still free, and a waitlist to try).
SEATS = {
    0: ("Front left, rows 1 and 2", 6, ["devon", "tomas", "jamal"]),
    9: ("Front left, rows 1 and 2", 2, ["nora", "kofi", "priya"]),
}


def _tweet_seats(people: dict[str, User], sessions: list[Session]) -> None:

    for index, (label, capacity, handles) in SEATS.items():
        session = sessions[index]
        if SeatBlock.objects.filter(session=session).exists():
            continue
        block = seats.create_block(people["organiser"], session, label=label, capacity=capacity)
        for handle in handles:  # past the capacity: on the waitlist
            seats.reserve(people[handle], block)
    for row in seats.reservations(sessions[0])[:2]:
        seats.check_in(people["casey"], row)


# (session index, minutes after start, asker, question, anonymous, voters, status)
QUESTIONS: list[tuple[int, int, str, str, bool, list[str], str]] = [
    (
        0,
        40,
        "grace_h",
        "How do we keep families at the table once the grant that brought them there ends?",
        False,
        ["maria_f", "hannah", "kofi", "elena"],
        "answered",
    ),
    (
        0,
        55,
        "sam_k",
        "What is one thing a county can change next month?",
        True,
        ["tomas", "devon"],
        "answered",
    ),
    (
        3,
        20,
        "aisha",
        "A parent posted about their child's diagnosis under our page. Do we hide it, reply, "
        "or message them?",
        False,
        ["ben_t", "priya", "hannah", "sam_k", "grace_h"],
        "now",
    ),
    (
        3,
        28,
        "priya",
        "What should a policy say about staff's personal accounts?",
        True,
        ["aisha", "ravi", "tomas", "nora"],
        "answered",
    ),
    (
        3,
        41,
        "ben_t",
        "Is it fine to live-post a quote from a parent speaking on a panel?",
        False,
        ["kofi", "elena", "devon"],
        "live",
    ),
    (3, 47, "sam_k", "Will the slides be shared after the workshop?", False, ["tomas"], "live"),
]


def _questions(people: dict[str, User], sessions: list[Session]) -> None:
    """Questions the audience upvoted; answered ones, and one the presenter is answering now."""

    for index, (at, minutes, asker, body, anonymous, voters, status) in enumerate(QUESTIONS):
        session = sessions[at]
        asked = qa.ask(
            people[asker],
            session,
            body=body,
            anonymous=anonymous,
            client_id=f"demo-question-{index}",
            confirm=True,
        )
        if not asked.created:
            continue
        question = asked.question
        for voter in voters:
            qa.set_vote(people[voter], question, on=True)
        host = session.presenters.first() or people["casey"]
        if status == "answered":
            qa.set_status(host, question, status="answered")
        elif status == "now":
            qa.pin(host, session, question)
        assert session.starts_at is not None
        Question.objects.filter(pk=question.pk).update(
            created_at=session.starts_at + dt.timedelta(minutes=minutes)
        )


def _polls(people: dict[str, User], sessions: list[Session]) -> None:
    """A poll the workshop is answering now (on its wall too), and the opening plenary's
    closed rating poll with its results."""

    workshop, opening = sessions[DEMO_ANCHOR], sessions[0]
    if not Poll.objects.filter(session=workshop).exists():
        poll = polls.create_poll(
            people["casey"],
            workshop,
            question="Does your organisation have a social media policy?",
            kind="single",
            options=["Yes, and I have read it", "Yes, but I have not read it", "No", "Not sure"],
        )
        polls.set_status(people["casey"], poll, status="open")
        options = list(poll.options.order_by("position"))
        picks = {"aisha": 0, "ben_t": 1, "priya": 2, "ravi": 0, "sam_k": 3, "nora": 1, "kofi": 2}
        for handle, choice in picks.items():
            polls.answer(people[handle], poll, options=[options[choice].pk])
    if not Poll.objects.filter(session=opening).exists():
        poll = polls.create_poll(
            people["dr_rivera"],
            opening,
            question="How ready is your community for a system of care?",
            kind="rating",
            scale_max=5,
        )
        polls.set_status(people["dr_rivera"], poll, status="open")
        ratings = {"grace_h": 3, "sam_k": 2, "tomas": 4, "devon": 3, "hannah": 4, "kofi": 2}
        for handle, rating in ratings.items():
            polls.answer(people[handle], poll, rating=rating)
        polls.set_status(people["dr_rivera"], poll, status="closed")


# The post the product grew from, retold as the demo's article: it links to the social media
# workshop, so its comments join that session's feed. Idempotent by its address.
ARTICLE_SLUG = "enter-social-media-with-a-spirit-of-fun-and-caution"
ARTICLE_BODY = """\
Social media is the new topic at this year's Training Institutes. For the first time the
conference has a **backchannel**: every session has a live feed where you can talk with the
presenters and with each other, instead of listening in silence.

We are excited, and we also want to share some caution, because social media is public, fast
and permanent, and our field is about children and families.

## Check your organisation's policy first

Before you post as a professional, find out whether your organisation has a social media
policy. A policy protects you (you know what is encouraged) and your organisation (when
something goes wrong, it is handled quickly and with little drama). If your organisation has
one here, Backchannel shows it to you and asks you to acknowledge it.

## Say whom you speak for

Say who you work for, and say when your views are your own. "Views are my own" on your
profile is a small sentence that does a lot of work.

## Think before you post

- Never write anything that could identify a child or a family.
- Keep health details general.
- If a session moves you to share something personal, take a breath first.

Backchannel asks you to look again when a post could identify someone, and shows where to find
support when a post sounds like someone is struggling.

## Join the Tweet Seats

Come and sit in the Tweet Seats at the plenaries: we live-post from there and are glad to show
you how to write a good post. We would love to hear what you think, both here and on the
backchannel.
"""


def _demo_cover() -> bytes:
    """A decorative cover for the demo article: overlapping speech bubbles on teal, drawn here
    so the demo needs no image file."""

    image = Image.new("RGB", (1600, 700), (11, 85, 99))
    draw = ImageDraw.Draw(image)
    bubbles = [(180, 140, 700, 420, (124, 203, 204)), (560, 260, 1120, 560, (184, 87, 43))]
    bubbles.append((980, 90, 1460, 380, (245, 241, 232)))
    for left, top, right, bottom, colour in bubbles:
        draw.rounded_rectangle((left, top, right, bottom), radius=60, fill=colour)
        draw.polygon([(left + 80, bottom), (left + 160, bottom), (left + 60, bottom + 90)], colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _blog(people: dict[str, User], event: Event, sessions: list[Session]) -> None:

    if Article.objects.filter(slug=ARTICLE_SLUG).exists():
        return
    workshop = next(s for s in sessions if s.title.startswith("Social media"))
    article = blog_actions.create_article(
        people["organiser"],
        event,
        title="Enter social media with a spirit of fun and caution",
        summary="The conference has a backchannel this year. How to join it well: your "
        "organisation's policy, whom you speak for, and thinking before you post.",
        body=ARTICLE_BODY,
        tags=["socialmedia", "policy", "ti2012"],
        session=workshop.pk,
        publish=True,
        confirm=True,
    )
    opening = sessions[0].starts_at
    assert opening is not None
    Article.objects.filter(pk=article.pk).update(published_at=opening - dt.timedelta(minutes=30))
    blog_actions.set_cover(people["organiser"], article, _demo_cover(), alt="")
    result = blog_actions.comment(
        people["jamal"],
        article,
        body='Adding "Views are my own" to my profile right now. Thanks for the nudge! #smchat',
        client_id="demo-article-comment",
    )
    assert workshop.starts_at is not None
    Post.objects.filter(pk=result.post.pk).update(
        created_at=workshop.starts_at - dt.timedelta(minutes=20)
    )


# Who follows whom, and one private conversation, so profiles, the "following" view, the
# notification centre and the messages pages have something to show. Idempotent.
FOLLOWS = [
    ("jamal", "dr_rivera"),
    ("jamal", "casey"),
    ("kofi", "jamal"),
    ("nora", "jamal"),
    ("nora", "dr_rivera"),
    ("casey", "jamal"),
]
CONVERSATION = [
    ("nora", "jamal", "Loved your live-posting this morning. Are you at the dinner tonight?"),
    ("jamal", "nora", "Yes! Save me a seat near the front."),
]


def _people_network(people: dict[str, User]) -> None:

    for follower, followee in FOLLOWS:
        if follower in people and followee in people:
            account_actions.follow(people[follower], followee)  # idempotent
    for index, (sender, recipient, body) in enumerate(CONVERSATION):
        if sender in people and recipient in people:
            send_message(people[sender], recipient, body=body, client_id=f"demo-dm-{index}")
