"""Moderation's records: reports, the queue, the audit log, word filters, notices to authors
and their appeals (sanctions are the events' own: events/models.py, since every read asks
about them). No rules here: those live in permissions.py and actions.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backchannel.db.rowcache import ChangeNotifyingQuerySet
from backchannel.events.models import Event, Reason, Sanction, Session
from backchannel.feed.models import Post


class QueueItem(models.Model):
    """A post that needs a facilitator's eyes: one item per post, gathering every signal
    (reports, a hold, caution findings the author confirmed, crisis language, a filtered term).
    Closed when a facilitator acts on the post; a new signal reopens it."""

    class Signal(models.TextChoices):
        REPORT = "report", "Reported"
        HELD = "held", "Waiting for approval"
        CAUTION = "caution", "Posted past a caution"
        CRISIS = "crisis", "Crisis language"
        FILTER = "filter", "Matched a word filter"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="queue_items")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="queue_item")
    # The signals so far, in arrival order, e.g. ["held", "caution"], and their details
    # (finding kinds, report reasons, the filtered term).
    signals = models.JSONField(default=list)
    details = models.JSONField(default=list)
    report_count = models.PositiveIntegerField(default=0)
    urgent = models.BooleanField(default=False)  # crisis language: shown first
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "closed_at", "-urgent", "opened_at"])]

    def __str__(self) -> str:
        return f"queue {self.post_id}: {','.join(self.signals)}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def crisis_about(self) -> str:
        """Who may be at risk when the post has crisis language: self, someone_else or danger
        (care/crisis.py); "" without crisis language."""
        for entry in self.details:
            if entry.startswith("crisis: "):
                return entry.removeprefix("crisis: ")
        return "self" if QueueItem.Signal.CRISIS in self.signals else ""

    @property
    def listed_details(self) -> list[str]:
        """The details facilitators read in the list (crisis language has its own note)."""
        return [d for d in self.details if d != "crisis" and not d.startswith("crisis: ")]


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"report of {self.post_id} by {self.reporter_id}: {self.reason}"


class ModerationAction(models.Model):
    """The audit log: every moderation decision, with who, what, when and why."""

    class Kind(models.TextChoices):
        APPROVE = "approve", "Approved a held post"
        HIDE = "hide", "Hid a post"
        RESTORE = "restore", "Restored a post"
        REMOVE = "remove", "Removed a post"
        DISMISS = "dismiss", "Dismissed reports"
        WARN = "warn", "Warned"
        MUTE = "mute", "Muted"
        SUSPEND = "suspend", "Suspended"
        BAN = "ban", "Banned"
        LIFT = "lift", "Lifted a restriction"
        APPEAL_GRANTED = "appeal_granted", "Granted an appeal"
        APPEAL_DENIED = "appeal_denied", "Upheld a decision on appeal"
        SESSION_SETTINGS = "session_settings", "Changed a session's moderation"
        FILTER_ADDED = "filter_added", "Added a word filter"
        FILTER_REMOVED = "filter_removed", "Removed a word filter"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    note = models.TextField(max_length=1000, blank=True)
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation_log"
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sanction = models.ForeignKey(
        Sanction, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    # What was decided, in words, for the log page (e.g. "muted for 30 minutes").
    summary = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["event", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor_id} at {self.event_id}"


class Notice(models.Model):
    """A private word to a person about a decision on their post or account, told plainly and
    without drama. A notice about a decision (not a hold) can be appealed once."""

    class Kind(models.TextChoices):
        HELD = "held", "Your post is waiting for a facilitator"
        APPROVED = "approved", "Your post is published"
        HIDDEN = "hidden", "Your post was hidden"
        RESTORED = "restored", "Your post is visible again"
        REMOVED = "removed", "Your post was removed"
        WARNED = "warned", "A note from the facilitators"
        MUTED = "muted", "You are muted for a while"
        SUSPENDED = "suspended", "You are suspended from this event"
        BANNED = "banned", "You are banned from this event"
        LIFTED = "lifted", "Your restriction is lifted"
        APPEAL_GRANTED = "appeal_granted", "Your appeal was granted"
        APPEAL_DENIED = "appeal_denied", "Your appeal was reviewed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(max_length=1000)
    action = models.ForeignKey(
        ModerationAction, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user_id}"


class Appeal(models.Model):
    """One appeal per decision, by the person it concerned."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        GRANTED = "granted", "Granted"
        DENIED = "denied", "Decision upheld"

    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="appeals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(max_length=1000, blank=True)

    def __str__(self) -> str:
        return f"appeal of {self.action_id}: {self.outcome}"


class WordFilter(models.Model):
    """A term an event does not want in its feeds, and what happens to a post using it."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block: the post is refused, the author is told why"
        HOLD = "hold", "Hold: the post waits for a facilitator"
        FLAG = "flag", "Flag: the post is published and shown to facilitators"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="word_filters")
    term = models.CharField(max_length=100)  # matched case-insensitively, on word boundaries
    action = models.CharField(max_length=10, choices=Action.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Cached by event (moderation/queries.word_filter_terms): changes must reach the cache.
    objects = ChangeNotifyingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "term"], name="word_filter_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.action})"
