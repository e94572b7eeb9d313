"""Reads of events used by pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from backchannel.accounts.models import Reader, User
from backchannel.db import plain
from backchannel.db.rowcache import RowCache
from backchannel.errors import NotFound

from . import codes, permissions
from .models import Event, EventImage, Registration, Room, SeatReservation, Session


def get_event_for(user: Reader, slug: str) -> Event:
    """The event, or NotFound when it does not exist or the user may not see it."""
    event = Event.objects.filter(slug=slug).first()
    if event is None or not permissions.can_view_event(user, event):
        raise NotFound("No such event.")
    return event


def find_event(slug: str) -> Event | None:
    return Event.objects.filter(slug=slug).first()


def find_typed_event(typed: str) -> Event | None:
    """The event someone typed on the home page: its short code ("K7P M3Q", any case and
    spacing) or its address ("ti2012")."""
    if (code := codes.normalise(typed)) is not None and (
        event := Event.objects.filter(event_code=code).first()
    ) is not None:
        return event
    return find_event(typed.strip().lower())


def gated_event(user: Reader, slug: str) -> Event | None:
    """The join-code event at this address when the user may not read it yet: its pages then
    show the join form (and nothing of the event) instead of "not found"."""
    event = find_event(slug)
    if event is None or event.is_public or permissions.can_view_event(user, event):
        return None
    return event


def get_event_by_slug(slug: str) -> Event:
    """The event whatever its access (for joining by code), or NotFound."""
    event = find_event(slug)
    if event is None:
        raise NotFound("No such event.")
    return event


# A session's row with its event's and room's, by the session's id: read on every request
# about a session, changed rarely (db/rowcache.py clears it on any change to the three, in
# every process).
_SESSION_ROWS = RowCache("sessions", [Session, Event, Room])


def get_session_for(user: Reader, session_id: int) -> Session:
    """The session (with its event), or NotFound when hidden from the user."""
    # Plain SQL (db/plain.py): this runs on every request about a session (every post), and
    # the ORM's building of the statement cost several times the database's answer.
    sessions, events, rooms = (
        plain.columns(Session, "s"),
        plain.columns(Event, "e"),
        plain.columns(Room, "r"),
    )
    row = _SESSION_ROWS.get(session_id, lambda: _read_session(session_id))
    if row is None:
        raise NotFound("No such session.")
    session = sessions.built(row)
    session.event = events.built(row, sessions.width)
    session.room = rooms.built(row, sessions.width + events.width)
    if not permissions.can_view_event(user, session.event):
        raise NotFound("No such session.")
    return session


def _read_session(session_id: int) -> tuple[object, ...] | None:
    row = plain.fetch_one(_session_sql(), [session_id])
    columns = (plain.columns(Session, "s"), plain.columns(Event, "e"), plain.columns(Room, "r"))
    return plain.converted(row, *columns) if row is not None else None


@cache
def _session_sql() -> str:
    q = plain.quote
    return (
        f"SELECT {plain.columns(Session, 's').sql}, {plain.columns(Event, 'e').sql}, "  # noqa: S608
        f"{plain.columns(Room, 'r').sql} FROM {plain.table(Session)} s "
        f"JOIN {plain.table(Event)} e ON e.{q('id')} = s.{q('event_id')} "
        f"LEFT JOIN {plain.table(Room)} r ON r.{q('id')} = s.{q('room_id')} "
        f"WHERE s.{q('id')} = %s"
    )


def get_session_brief_for(user: Reader, session_id: int) -> Session:
    """Like get_session_for, for opening a stream: the session with only what a stream needs
    (its kind for the topic, its event's id and access for the permission rule), read in one
    plain SQL query. Thousands of clients can reconnect at once; the ORM's select_related
    query took 0.5 ms of building for 0.02 ms of reading (bench/reconnect.py)."""
    quote = connection.ops.quote_name
    # Only our own table and column names go into the text; the id is a parameter.
    sql = (
        f"SELECT s.{quote('kind')}, e.{quote('id')}, e.{quote('access')} "  # noqa: S608
        f"FROM {quote(Session._meta.db_table)} s "
        f"JOIN {quote(Event._meta.db_table)} e ON e.{quote('id')} = s.{quote('event_id')} "
        f"WHERE s.{quote('id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [session_id])
        row = cursor.fetchone()
    if row is None:
        raise NotFound("No such session.")
    kind, event_id, access = row
    event = Event(pk=event_id, access=access)
    if not permissions.can_view_event(user, event):
        raise NotFound("No such session.")
    return Session(pk=session_id, event=event, kind=kind)


def scheduled_sessions(event: Event) -> QuerySet[Session]:
    return (
        event.sessions.exclude(kind=Session.Kind.LOBBY)
        .select_related("room")
        .prefetch_related(Prefetch("presenters", queryset=User.objects.order_by("display_name")))
        .order_by("starts_at", "title")
    )


def sessions_run_by(user: Reader, event: Event) -> set[int]:
    """The sessions whose questions and presenter view this person runs: all of them for the
    event's facilitators and organisers, else the ones they present."""
    if not user.is_authenticated:
        return set()
    if permissions.can_moderate_event(user, event):
        return set(event.sessions.values_list("pk", flat=True))
    return set(event.sessions.filter(presenters=user).values_list("pk", flat=True))


def lobby_of(event: Event) -> Session:
    lobby, _ = Session.objects.get_or_create(
        event=event, kind=Session.Kind.LOBBY, defaults={"title": "Lobby"}
    )
    return lobby


@dataclass
class ScheduleDay:
    date: dt.date
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Schedule:
    days: list[ScheduleDay]
    now: list[Session]
    next: list[Session]


def schedule(event: Event, *, at: dt.datetime | None = None) -> Schedule:
    """The event's sessions by day (in the event's time zone), with what is on now and next."""
    at = at or timezone.now()
    tz = event.tz
    days: dict[dt.date, ScheduleDay] = {}
    now: list[Session] = []
    upcoming: list[Session] = []
    for session in scheduled_sessions(event):
        if session.starts_at is None or session.ends_at is None:
            continue
        day = session.starts_at.astimezone(tz).date()
        days.setdefault(day, ScheduleDay(day)).sessions.append(session)
        if session.starts_at <= at < session.ends_at:
            now.append(session)
        elif session.starts_at > at:
            upcoming.append(session)
    next_start = upcoming[0].starts_at if upcoming else None
    return Schedule(
        days=sorted(days.values(), key=lambda d: d.date),
        now=now,
        next=[s for s in upcoming if s.starts_at == next_start],
    )


def listed_events() -> QuerySet[Event]:
    """Events shown on the home page: public ones, newest first."""
    return Event.objects.filter(access=Event.Access.PUBLIC).order_by("-starts_on")


def events_of(user: Reader) -> QuerySet[Event]:
    """The events the person belongs to and may read (a ban hides a join-code event)."""
    if not user.is_authenticated:
        return Event.objects.none()
    readable = permissions.readable_events(user).values("pk")
    return Event.objects.filter(registrations__user=user, pk__in=readable).order_by("-starts_on")


def registration_of(user: Reader, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


@dataclass(frozen=True)
class PublicRole:
    event: Event
    role: str  # "Organiser", "Facilitator", "Presenter", "Tweet Seat"
    session: Session | None = None


def public_roles_of(person: User, viewer: Reader) -> list[PublicRole]:
    """What a person does at the events the viewer may see, for their profile: organiser,
    facilitator, presenter (of which sessions) and Tweet Seats. Attending is not shown."""
    theirs = Registration.objects.filter(user=person).values("event_id")
    readable = permissions.readable_events(viewer).filter(pk__in=theirs)
    events = {e.pk: e for e in readable}
    found: list[PublicRole] = []
    for reg in Registration.objects.filter(
        user=person,
        event_id__in=events,
        role__in=[Registration.Role.ORGANISER, Registration.Role.FACILITATOR],
    ):
        found.append(PublicRole(events[reg.event_id], Registration.Role(reg.role).label))
    for session in Session.objects.filter(presenters=person, event_id__in=events):
        found.append(PublicRole(events[session.event_id], "Presenter", session))
    for seat in SeatReservation.objects.filter(
        user=person,
        session__event_id__in=events,
        status=SeatReservation.Status.RESERVED,
    ).select_related("session"):
        found.append(PublicRole(events[seat.session.event_id], "Tweet Seat", seat.session))
    return found


def event_image(event: Event, kind: str) -> bytes:
    row = EventImage.objects.filter(event=event, kind=kind).values_list("image", flat=True).first()
    if row is None:
        raise NotFound("No such picture.")
    return bytes(row)
