"""Who may message whom, and who may read what: one function per rule. Nobody but the two
people in a conversation reads it: not facilitators, not organisers, not site staff."""

from __future__ import annotations

from backchannel.accounts import queries as people
from backchannel.accounts.models import Reader, User
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event

from .models import Conversation, Message


def why_cannot_message(sender: Reader, recipient: User) -> str | None:
    """None when `sender` may message `recipient`, else the reason in words."""
    if not getattr(sender, "is_authenticated", False) or not sender.is_active:
        return "Sign in to send messages."
    if sender.pk == recipient.pk:
        return "You cannot message yourself."
    if not recipient.is_active or recipient.deletion_due_at is not None:
        return "This account is closed."
    if recipient.is_remote:
        return (
            f"@{recipient.username} is on another server, and direct messages never leave this one."
        )
    if people.blocked_between(sender, recipient):
        return f"You cannot message @{recipient.username}."
    if recipient.dms_from == "following" and not people.follows(recipient, sender):
        return f"@{recipient.username} accepts messages only from people they follow."
    return None


def can_message(sender: Reader, recipient: User) -> bool:
    return why_cannot_message(sender, recipient) is None


def can_read_conversation(user: Reader, conversation: Conversation) -> bool:
    return user.is_authenticated and user.pk in (
        conversation.first_id,
        conversation.second_id,
    )


def can_report_message(user: Reader, message: Message, event: Event) -> bool:
    """The recipient reports a message to the facilitators of an event they belong to."""
    return (
        user.is_authenticated
        and message.recipient_id == user.pk
        and event_permissions.role_at(user, event) is not None
    )
