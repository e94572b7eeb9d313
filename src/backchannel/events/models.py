from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models

from backchannel.db.rowcache import ChangeNotifyingQuerySet

from . import branding, codes


def new_event_code() -> str:
    """A fresh event code, never one an event has, nor one that reads as an event's address."""
    return codes.new_code(
        lambda code: Event.objects.filter(
            models.Q(event_code=code) | models.Q(slug=code.lower())
        ).exists()
    )


class Event(models.Model):
    class Access(models.TextChoices):
        PUBLIC = "public", "Public: anyone can read and join"
        CODE = "code", "Join code: only people with the code can read and join"

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    hashtag = models.CharField(max_length=50, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    timezone = models.CharField(max_length=64, default="UTC")
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.PUBLIC)
    join_code = models.CharField(max_length=32, blank=True)
    # The public short code people type to find the event (events/codes.py); not a secret,
    # unlike the join code above.
    event_code = models.CharField(
        max_length=codes.LENGTH, unique=True, default=new_event_code, editable=False
    )
    # Branding: an accent colour (its readable shades: events/branding.py) and pictures kept
    # as EventImage rows; a version of 0 means none, and each upload gets a new address.
    accent_colour = models.CharField(max_length=7, blank=True)
    logo_version = models.PositiveIntegerField(default=0)
    cover_version = models.PositiveIntegerField(default=0)
    # Organisers choose whether a public event's sessions federate (docs/federation.md).
    federates = models.BooleanField(default=False)
    # Shown to anyone whose draft contains crisis language (care/): where to get help now.
    # Empty lines: the US default (988 Suicide & Crisis Lifeline, 911).
    crisis_lines = models.TextField(max_length=1000, blank=True)
    crisis_contact = models.CharField(max_length=300, blank=True)
    # Markdown. When set, people accept it to join, and members who joined before it was set
    # accept it before they post.
    code_of_conduct = models.TextField(max_length=20_000, blank=True)

    # After the event (archive/): its feeds stay open, or become read-only once it has ended;
    # the conversation is kept forever (None) or deleted this many days after the last day
    # (`backchannel purge-events`). Both are shown to attendees on the event page.
    class AfterEvent(models.TextChoices):
        OPEN = "open", "Keep the feeds open"
        READ_ONLY = "read_only", "Make the feeds read-only"

    after_event = models.CharField(
        max_length=10, choices=AfterEvent.choices, default=AfterEvent.OPEN
    )
    retention_days = models.PositiveIntegerField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Cached with its sessions (events/queries.get_session_for): changes must reach the cache.
    objects = ChangeNotifyingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def logo_url(self) -> str:
        return f"/e/{self.slug}/brand/logo/{self.logo_version}.webp" if self.logo_version else ""

    @property
    def cover_url(self) -> str:
        return f"/e/{self.slug}/brand/cover/{self.cover_version}.webp" if self.cover_version else ""

    @property
    def wall_accent(self) -> str:
        """The wall is dark: the accent's shade that reads on it ("" without one)."""
        return branding.palette(self.accent_colour).dark["--accent"] if self.accent_colour else ""

    @property
    def card_accent(self) -> str:
        """The join card is white in any theme: the accent's shade that reads on white."""
        return branding.palette(self.accent_colour).light["--accent"] if self.accent_colour else ""

    @property
    def brand_css(self) -> str:
        """The style rules that give the event's pages its colour ("" without one)."""
        return branding.palette(self.accent_colour).css() if self.accent_colour else ""

    @property
    def spaced_code(self) -> str:
        """The event code as people read it: "K7P M3Q"."""
        return codes.spaced(self.event_code)

    @property
    def has_ended(self) -> bool:
        return dt.datetime.now(self.tz).date() > self.ends_on

    @property
    def is_read_only(self) -> bool:
        """Ended, and its organisers chose read-only feeds afterwards."""
        return self.after_event == self.AfterEvent.READ_ONLY and self.has_ended

    @property
    def purge_on(self) -> dt.date | None:
        """The day the conversation is deleted, when it is not kept forever."""
        if self.retention_days is None:
            return None
        return self.ends_on + dt.timedelta(days=self.retention_days + 1)

    @property
    def is_public(self) -> bool:
        return self.access == self.Access.PUBLIC

    @property
    def crisis_line_list(self) -> list[str]:
        return [line.strip() for line in self.crisis_lines.splitlines() if line.strip()]


class EventImage(models.Model):
    """An event's logo or cover, re-encoded as WebP (no metadata survives, images.py). Kept in
    the database like profile pictures: small, served by every process, gone with the event."""

    class Kind(models.TextChoices):
        LOGO = "logo", "Logo"
        COVER = "cover", "Cover"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    image = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="one_image_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of event {self.event_id}"


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(null=True, blank=True)

    # Cached with its sessions (events/queries.get_session_for): changes must reach the cache.
    objects = ChangeNotifyingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_unique_per_event")
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", "Plenary"
        WORKSHOP = "workshop", "Workshop"
        POSTER = "poster", "Poster session"
        SOCIAL = "social", "Social"
        # The event-wide feed: one per event, outside the schedule.
        LOBBY = "lobby", "Lobby"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    abstract = models.TextField(max_length=4000, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WORKSHOP)
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    hashtag = models.CharField(max_length=50, blank=True)
    # Where the session's recording or webinar page is, shown on its archive page.
    recording_url = models.URLField(max_length=300, blank=True)
    presenters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="presenting"
    )
    # Moderation for sensitive sessions: posts wait for a facilitator's approval; or each person
    # may post once per this many seconds (0: off). Facilitators and presenters are exempt.
    premoderated = models.BooleanField(default=False)
    slow_mode_seconds = models.PositiveIntegerField(default=0)

    # The projector wall (wall/): which posts it shows, and the facilitators' kill switch.
    class WallMode(models.TextChoices):
        DELAY = "delay", "Posts older than the delay"
        APPROVED = "approved", "Only posts a facilitator approved"

    wall_mode = models.CharField(max_length=10, choices=WallMode.choices, default=WallMode.DELAY)
    wall_delay_seconds = models.PositiveIntegerField(default=60)
    wall_paused = models.BooleanField(default=False)
    # Has Tweet Seat blocks (set with the first block): posting then looks up the seat badge.
    tweet_seats = models.BooleanField(default=False)
    # Q&A (qa/): questions wait for approval; the question being answered now.
    questions_premoderated = models.BooleanField(default=False)
    now_answering = models.ForeignKey(
        "qa.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Cached with its sessions (events/queries.get_session_for): changes must reach the cache.
    objects = ChangeNotifyingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(kind="lobby"),
                name="one_lobby_per_event",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_lobby(self) -> bool:
        return self.kind == self.Kind.LOBBY

    @property
    def topic(self) -> str:
        """The stream topic of this session's feed (the lobby is the event's topic)."""
        return f"event:{self.event_id}" if self.is_lobby else f"session:{self.pk}"


class Registration(models.Model):
    """A person's place at an event, with their role there."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", "Organiser"
        FACILITATOR = "facilitator", "Facilitator"
        PRESENTER = "presenter", "Presenter"
        ATTENDEE = "attendee", "Attendee"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.ATTENDEE)
    joined_at = models.DateTimeField(auto_now_add=True)
    conduct_accepted_at = models.DateTimeField(null=True, blank=True)

    objects = ChangeNotifyingQuerySet.as_manager()  # kept per process: events/standing.py

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event} ({self.role})"


class SeatBlock(models.Model):
    """Tweet Seats: a block of seats reserved for people who live-post a plenary."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seat_blocks")
    label = models.CharField(max_length=100)  # e.g. "Front left, rows 1 to 3"
    capacity = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.capacity})"


class SeatReservation(models.Model):
    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    block = models.ForeignKey(SeatBlock, on_delete=models.CASCADE, related_name="reservations")
    # The block's session, so "one seat per person per session" is a database constraint.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seat_reservations"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)  # the waitlist's order
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(status__in=["reserved", "waitlisted"]),
                name="one_seat_per_person_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} in {self.block_id}"


class Reason(models.TextChoices):
    """Why something was reported or acted on. Shared by reports, actions and the public
    transparency page (which shows counts by reason, never content)."""

    CHILD_IDENTITY = "child_identity", "Could identify a child or family"
    PRIVATE_INFO = "private_info", "Health or contact details about someone"
    HARASSMENT = "harassment", "Harassment or hateful language"
    CRISIS = "crisis", "Someone may be at risk"
    SPAM = "spam", "Spam or advertising"
    OFF_TOPIC = "off_topic", "Off topic or disruptive"
    POLICY = "policy", "Breaks the event's code of conduct"
    OTHER = "other", "Something else"


class Sanction(models.Model):
    """A restriction on a person at one event. Mute: reads, cannot write. Suspend: cannot
    write or follow the event live (open streams close). Ban: a suspension without end that
    joining again does not undo."""

    class Kind(models.TextChoices):
        MUTE = "mute", "Muted"
        SUSPEND = "suspend", "Suspended"
        BAN = "ban", "Banned"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sanctions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ends_at = models.DateTimeField(null=True, blank=True)  # None: until lifted
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = ChangeNotifyingQuerySet.as_manager()  # kept per process: events/standing.py

    class Meta:
        # Written by moderation (moderation/actions.py), read by every permission check: the
        # model lives here, below both, in the table it was created in.
        db_table = "moderation_sanction"
        indexes = [
            models.Index(
                fields=["event", "user", "lifted_at"], name="moderation__event_i_5ab908_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} at {self.event_id}"
