"""Direct messages: one conversation per pair of people, readable by those two only."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backchannel.events.models import Event
from backchannel.moderation.models import Reason


class Conversation(models.Model):
    # The two people, the lower id first, so a pair has one conversation.
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_conversation_per_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="conversation_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.first_id}/{self.second_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField()
    # NULL, not "", for "no client id": the uniqueness constraint applies only to real ids.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The sender erased their account and chose to take their words with them.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "-id"], name="message_newest"),
            models.Index(fields=["recipient", "read_at"], name="message_unread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="message_client_id_once_per_sender",
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk} from {self.sender_id}"


class MessageReport(models.Model):
    """A recipient showed one message to an event's facilitators. They see that message, its
    sender and the reason; never the rest of the conversation."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="message_reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="one_dm_report_per_person")
        ]
        indexes = [models.Index(fields=["event", "closed_at"], name="dm_report_open")]

    def __str__(self) -> str:
        return f"report of message {self.message_id}"
