"""Every write to events: creating and editing events, rooms and sessions; joining."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Iterable
from typing import Any

import regex
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from backchannel import ratelimits
from backchannel.accounts.models import User
from backchannel.errors import Invalid, NotAllowed
from backchannel.images import to_webp, version_of
from backchannel.realtime.outbox import revoke_public_streams
from backchannel.text import clean_line, clean_text, clean_url

from . import branding, permissions
from .models import Event, EventImage, Registration, Room, Session

_SLUG = regex.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?\Z")
_HASHTAG = regex.compile(r"^\w{1,49}\Z")
Role = Registration.Role


def _clean_slug(slug: str) -> str:
    slug = slugify(slug)
    if not _SLUG.match(slug):
        raise Invalid(
            "The address must be 1 to 50 lower-case letters, digits or hyphens.", field="slug"
        )
    if slug in {"new", "api", "static", "admin"}:
        raise Invalid("That address is reserved.", field="slug")
    return slug


def _clean_hashtag(tag: str, field: str = "hashtag") -> str:
    tag = clean_line(tag, field=field, max_length=50).lstrip("#")
    if tag and not _HASHTAG.match(tag):
        raise Invalid("A hashtag is letters, digits and underscores only.", field=field)
    return tag


def _clean_timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"Unknown time zone {name!r}.", field="timezone") from None
    return name


def _clean_event_fields(fields: dict[str, Any]) -> dict[str, Any]:
    starts_on, ends_on = fields["starts_on"], fields["ends_on"]
    if ends_on < starts_on:
        raise Invalid("The event cannot end before it starts.", field="ends_on")
    access = fields.get("access", Event.Access.PUBLIC)
    if access not in Event.Access.values:
        raise Invalid("Access is public or code.", field="access")
    join_code = clean_line(fields.get("join_code", ""), field="join_code", max_length=32)
    if access == Event.Access.CODE and not join_code:
        join_code = secrets.token_hex(3).upper()
    return {
        "name": clean_line(fields["name"], field="name", max_length=120, required=True),
        "hashtag": _clean_hashtag(fields.get("hashtag", "")),
        "description": clean_text(
            fields.get("description", ""), field="description", max_length=2000
        ),
        "venue": clean_line(fields.get("venue", ""), field="venue", max_length=200),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "timezone": _clean_timezone(fields.get("timezone", "UTC")),
        "access": access,
        "join_code": join_code,
        "crisis_lines": clean_text(
            fields.get("crisis_lines", ""), field="crisis_lines", max_length=1000
        ),
        "crisis_contact": clean_line(
            fields.get("crisis_contact", ""), field="crisis_contact", max_length=300
        ),
        "code_of_conduct": clean_text(
            fields.get("code_of_conduct", ""), field="code_of_conduct", max_length=20_000
        ),
        **_clean_after_event(fields),
        # Organisers' choice, kept as made; whether it can take effect (a public event, a
        # site that federates) is federation's rule (federation/permissions.py).
        **({"federates": fields["federates"] is True} if "federates" in fields else {}),
        **(
            {"accent_colour": branding.clean_colour(fields["accent_colour"])}
            if "accent_colour" in fields
            else {}
        ),
    }


def _clean_after_event(fields: dict[str, Any]) -> dict[str, Any]:
    after = fields.get("after_event") or Event.AfterEvent.OPEN
    if after not in Event.AfterEvent.values:
        raise Invalid("After the event, feeds stay open or become read-only.", field="after_event")
    given = fields.get("retention_days")
    days: int | None = None
    if given not in ("", None):
        if isinstance(given, bool) or not str(given).isdigit() or int(str(given)) > 36_500:
            raise Invalid(
                "Keep the conversation forever (leave empty) or for 0 to 36500 days.",
                field="retention_days",
            )
        days = int(str(given))
    return {"after_event": after, "retention_days": days}


def create_event(actor: User, *, slug: str, **fields: Any) -> Event:
    if not permissions.can_create_event(actor):
        raise NotAllowed("You cannot create events on this site.")
    values = _clean_event_fields(fields)
    slug = _clean_slug(slug)
    if User.objects.filter(username__iexact=slug).exists():
        # A handle and an event's address are both fediverse names (accounts/names.py).
        raise Invalid("That address is taken.", code="slug_taken", field="slug")
    try:
        with transaction.atomic():
            event = Event.objects.create(slug=slug, created_by=actor, **values)
            Registration.objects.create(event=event, user=actor, role=Role.ORGANISER)
            Session.objects.create(event=event, title="Lobby", kind=Session.Kind.LOBBY)
    except IntegrityError:
        raise Invalid("That address is taken.", code="slug_taken", field="slug") from None
    permissions.forget_roles(actor)
    return event


def update_event(actor: User, event: Event, **fields: Any) -> Event:
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed("Only the event's organisers can change it.")
    was_public = event.is_public
    with transaction.atomic():
        for name, value in _clean_event_fields(fields).items():
            setattr(event, name, value)
        event.save()
        if was_public and not event.is_public:
            # Readers who were let in only because it was public stop reading now, not at
            # their next reconnect.
            revoke_public_streams(event.pk)
    return event


def join_event(
    user: User, event: Event, *, code: str = "", accept_code_of_conduct: bool = False
) -> Registration:
    """Join as an attendee (idempotent: joining twice keeps the first role). When the event
    has a code of conduct, joining accepts it, and it must be accepted explicitly."""
    if not permissions.can_join_event(user, event):
        if permissions.restriction_at(user, event) == "ban":
            raise NotAllowed("This account cannot join this event again.", code="banned")
        raise NotAllowed("Sign in to join this event.")
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing:
        return existing
    if not event.is_public:
        # Wrong codes are counted per person and address: after a few, every attempt is
        # refused for a while (429), even with the right code, so guessing cannot go on.
        with ratelimits.guessing("join_code", str(user.pk), wrong="bad_code"):
            if not secrets.compare_digest(
                code.strip().upper().encode(), event.join_code.upper().encode()
            ):
                raise NotAllowed("That join code is not right.", code="bad_code")
    if event.code_of_conduct and accept_code_of_conduct is not True:
        raise Invalid(
            "Read the event's code of conduct and accept it to join.",
            code="conduct",
            field="accept_code_of_conduct",
        )
    registration, _ = Registration.objects.get_or_create(
        event=event,
        user=user,
        defaults={
            "role": Role.ATTENDEE,
            "conduct_accepted_at": timezone.now() if event.code_of_conduct else None,
        },
    )
    permissions.forget_roles(user)
    return registration


def admit_from_elsewhere(user: User, event: Event) -> Registration:
    """Someone from another fediverse server taking part in a public event that federates
    (federation/ checked it): an attendee whose posts arrive through their server, restricted
    and sanctioned like everyone else. Idempotent."""
    if not user.is_remote:
        raise NotAllowed("Only people from other servers are admitted this way.")
    if not permissions.can_join_event(user, event):
        raise NotAllowed("This account cannot take part in this event.", code="banned")
    registration, _ = Registration.objects.get_or_create(
        event=event, user=user, defaults={"role": Role.ATTENDEE}
    )
    permissions.forget_roles(user)
    return registration


def accept_code_of_conduct(user: User, event: Event) -> Registration:
    """A member who joined before the code of conduct was set accepts it (idempotent)."""
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None:
        raise NotAllowed("Join the event first.", code="not_a_member")
    if not event.code_of_conduct:
        raise Invalid("This event has no code of conduct.", code="no_conduct")
    if registration.conduct_accepted_at is None:
        registration.conduct_accepted_at = timezone.now()
        registration.save(update_fields=["conduct_accepted_at"])
    permissions.forget_roles(user)
    return registration


def create_room(actor: User, event: Event, *, name: str, capacity: int | None = None) -> Room:
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed("Only the event's organisers can add rooms.")
    name = clean_line(name, field="name", max_length=100, required=True)
    if capacity is not None and capacity < 0:
        raise Invalid("Capacity cannot be negative.", field="capacity")
    if Room.objects.filter(event=event, name__iexact=name).exists():
        raise Invalid("There is already a room with that name.", field="name")
    return Room.objects.create(event=event, name=name, capacity=capacity)


def _presenters_from_handles(handles: Iterable[str]) -> list[User]:
    wanted = {h.strip().lstrip("@").lower() for h in handles if h.strip().lstrip("@")}
    users: list[User] = list(
        User.objects.annotate(lower=Lower("username")).filter(lower__in=wanted)
    )
    missing = sorted(wanted - {u.username.lower() for u in users})
    if missing:
        raise Invalid(
            "No such people: " + ", ".join(f"@{h}" for h in missing) + ".", field="presenters"
        )
    return users


def _in_event_zone(event: Event, value: dt.datetime | None) -> dt.datetime | None:
    """Times written without a zone are the event's local times."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=event.tz)


def _clean_session_fields(event: Event, fields: dict[str, Any]) -> dict[str, Any]:
    kind = fields.get("kind", Session.Kind.WORKSHOP)
    if kind not in Session.Kind.values or kind == Session.Kind.LOBBY:
        raise Invalid("Kind is plenary, workshop, poster or social.", field="kind")
    starts_at = _in_event_zone(event, fields.get("starts_at"))
    ends_at = _in_event_zone(event, fields.get("ends_at"))
    if starts_at is None or ends_at is None:
        raise Invalid("A session needs a start and an end.", field="starts_at")
    if ends_at <= starts_at:
        raise Invalid("A session must end after it starts.", field="ends_at")
    room_id = fields.get("room_id")
    room = None
    if room_id:
        room = Room.objects.filter(event=event, pk=room_id).first()
        if room is None:
            raise Invalid("That room is not part of this event.", field="room")
    return {
        "title": clean_line(fields["title"], field="title", max_length=200, required=True),
        "abstract": clean_text(fields.get("abstract", ""), field="abstract", max_length=4000),
        "kind": kind,
        "room": room,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "hashtag": _clean_hashtag(fields.get("hashtag", "")),
        "recording_url": clean_url(
            fields.get("recording_url", ""), field="recording_url", max_length=300
        ),
    }


def _set_presenters(event: Event, session: Session, presenters: list[User]) -> None:
    session.presenters.set(presenters)
    for user in presenters:
        registration, created = Registration.objects.get_or_create(
            event=event, user=user, defaults={"role": Role.PRESENTER}
        )
        if not created and registration.role == Role.ATTENDEE:
            registration.role = Role.PRESENTER
            registration.save(update_fields=["role"])


def create_session(
    actor: User, event: Event, *, presenters: Iterable[str] = (), **fields: Any
) -> Session:
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed("Only the event's organisers can add sessions.")
    values = _clean_session_fields(event, fields)
    people = _presenters_from_handles(presenters)
    with transaction.atomic():
        session = Session.objects.create(event=event, **values)
        _set_presenters(event, session, people)
    return session


def update_session(
    actor: User, session: Session, *, presenters: Iterable[str] = (), **fields: Any
) -> Session:
    event = session.event
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed("Only the event's organisers can change sessions.")
    if session.is_lobby:
        raise Invalid("The lobby is not a scheduled session.")
    values = _clean_session_fields(event, fields)
    people = _presenters_from_handles(presenters)
    with transaction.atomic():
        for name, value in values.items():
            setattr(session, name, value)
        session.save()
        _set_presenters(event, session, people)
    return session


# --- Branding -------------------------------------------------------------------------------

_IMAGE_WIDTH = {EventImage.Kind.LOGO: 600, EventImage.Kind.COVER: 1600}


def set_event_image(actor: User, event: Event, kind: str, data: bytes) -> Event:
    """The event's logo or cover, from an image file: re-encoded, metadata stripped."""
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed("Only the event's organisers can change it.")
    if kind not in EventImage.Kind.values:
        raise Invalid("A logo or a cover.", field="kind")
    image = to_webp(data, field=kind, max_width=_IMAGE_WIDTH[EventImage.Kind(kind)])
    version = version_of(image)  # its address: never one that showed another picture
    with transaction.atomic():
        EventImage.objects.update_or_create(event=event, kind=kind, defaults={"image": image})
        Event.objects.filter(pk=event.pk).update(**{f"{kind}_version": version})
    setattr(event, f"{kind}_version", version)
    return event


def remove_event_image(actor: User, event: Event, kind: str) -> Event:
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed("Only the event's organisers can change it.")
    if kind not in EventImage.Kind.values:
        raise Invalid("A logo or a cover.", field="kind")
    with transaction.atomic():
        EventImage.objects.filter(event=event, kind=kind).delete()
        Event.objects.filter(pk=event.pk).update(**{f"{kind}_version": 0})
    setattr(event, f"{kind}_version", 0)
    return event
