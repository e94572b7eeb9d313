"""What federation keeps: each local actor's key pair (docs/federation.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ActorKey(models.Model):
    """The RSA key pair an actor signs its requests with, made the first time the actor is
    asked for and kept (remote servers cache the public key by its id). An actor is a person,
    an event or a session: exactly one of the three is set, and the key goes with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.OneToOneField(
        "events.Event", null=True, on_delete=models.CASCADE, related_name="+"
    )
    session = models.OneToOneField(
        "events.Session", null=True, on_delete=models.CASCADE, related_name="+"
    )
    public_pem = models.TextField()
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, event__isnull=True, session__isnull=True)
                    | Q(user__isnull=True, event__isnull=False, session__isnull=True)
                    | Q(user__isnull=True, event__isnull=True, session__isnull=False)
                ),
                name="actor_key_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        owner = self.user_id or self.event_id or self.session_id
        kind = "person" if self.user_id else "event" if self.event_id else "session"
        return f"key of {kind} {owner}"
