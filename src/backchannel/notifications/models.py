"""What a person is told about: mentions, replies, new followers, decisions about their posts.
Direct messages keep their own unread state (messaging/) and are not duplicated here."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    MENTION = "mention", "Mentions of you"
    REPLY = "reply", "Replies to your posts"
    FOLLOW = "follow", "New followers"
    DM = "dm", "Direct messages"
    MODERATION = "moderation", "Decisions about your posts or account"


# (in the app, in the email digest) for a person who has not chosen. Moderation decisions and
# direct messages always show in the app; only their email can be turned off.
DEFAULTS: dict[str, tuple[bool, bool]] = {
    Kind.MENTION: (True, True),
    Kind.REPLY: (True, False),
    Kind.FOLLOW: (True, False),
    Kind.DM: (True, True),
    Kind.MODERATION: (True, True),
}
ALWAYS_IN_APP = frozenset({Kind.DM, Kind.MODERATION})


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Who did it (null once they erase their account: shown as "someone").
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The post it is about: a notification is shown only while the post is (readers never
    # learn a hidden post's text from their notifications).
    post = models.ForeignKey("feed.Post", on_delete=models.CASCADE, null=True, related_name="+")
    notice = models.ForeignKey(
        "moderation.Notice", on_delete=models.CASCADE, null=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    # False when the person turned this kind off in the app but wants it in the email digest.
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-id"], name="notification_newest"),
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user_id}"


class Preference(models.Model):
    """A person's choice for one kind; no row means DEFAULTS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_pref_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: app {self.in_app}, email {self.email}"
