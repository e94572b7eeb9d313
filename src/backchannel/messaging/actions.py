"""Every write to direct messages: sending, reading, reporting one to facilitators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from backchannel import ratelimits
from backchannel.accounts import queries as people
from backchannel.accounts.models import User
from backchannel.errors import Conflict, Invalid, NotAllowed, NotFound
from backchannel.events.queries import get_event_for
from backchannel.moderation import actions as moderation
from backchannel.moderation import permissions as moderation_permissions
from backchannel.moderation.models import Reason
from backchannel.notifications.actions import user_topic
from backchannel.realtime.outbox import record_event
from backchannel.text import clean_text

from . import permissions, queries
from .models import Conversation, Message, MessageReport
from .presenters import message_data

_CLIENT_ID = regex.compile(r"^[A-Za-z0-9._:-]{1,64}\Z")


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool  # False when a retried client_id returned the first message


def _conversation(a: User, b: User) -> Conversation:
    first, second = sorted((a, b), key=lambda u: u.pk)
    conversation, _ = Conversation.objects.get_or_create(first=first, second=second)
    return conversation


def send_message(sender: User, handle: str, *, body: Any, client_id: Any = None) -> Sent:
    """Send a direct message. Only the two people can ever read it. Idempotent by
    (sender, client_id), like posts."""
    recipient = people.get_person(handle)
    why_not = permissions.why_cannot_message(sender, recipient)
    if why_not is not None:
        raise NotAllowed(why_not, code="cannot_message")
    if client_id in ("", None):
        client_id = None
    elif not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise Invalid(
            "client_id is 1 to 64 letters, digits or . _ : - characters.", field="client_id"
        )
    text = clean_text(
        body, field="body", max_length=settings.BACKCHANNEL_DM_MAX_LENGTH, required=True
    )
    if client_id is not None:
        earlier = Message.objects.filter(sender=sender, client_id=client_id).first()
        if earlier is not None:
            return Sent(earlier, created=False)
    ratelimits.enforce("dm", user=sender)
    try:
        with transaction.atomic():
            conversation = _conversation(sender, recipient)
            message = Message.objects.create(
                conversation=conversation,
                sender=sender,
                recipient=recipient,
                body=text,
                client_id=client_id,
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_at=message.created_at
            )
            data = message_data(message)
            # Each person's own private topic: nobody else subscribes to it.
            record_event(
                user_topic(recipient.pk),
                "dm.created",
                {"message": data, "unread": queries.unread_message_count(recipient)},
            )
            record_event(user_topic(sender.pk), "dm.created", {"message": data})
    except IntegrityError:
        earlier = Message.objects.filter(sender=sender, client_id=client_id).first()
        if earlier is None:
            raise
        return Sent(earlier, created=False)
    return Sent(message, created=True)


def mark_read(reader: User, handle: str) -> int:
    """Mark what `handle` sent the reader as read; returns how many."""
    partner = people.get_person_or_former(handle)
    with transaction.atomic():
        changed = Message.objects.filter(sender=partner, recipient=reader, read_at=None).update(
            read_at=timezone.now()
        )
        if changed:
            record_event(
                user_topic(reader.pk),
                "dm.read",
                {"with": partner.username, "unread": queries.unread_message_count(reader)},
            )
    return changed


def report_message(
    reporter: User, message_id: int, *, event_slug: Any, reason: Any, note: Any = ""
) -> tuple[MessageReport, bool]:
    """Show one message to the facilitators of an event the reporter belongs to. Once per
    person and message (a repeat returns the first report, created False)."""
    message = Message.objects.select_related("sender").filter(pk=message_id).first()
    if message is None or message.recipient_id != reporter.pk:
        raise NotFound("No such message.")
    if not isinstance(event_slug, str) or not event_slug:
        raise Invalid("Choose the event whose facilitators should see it.", field="event")
    event = get_event_for(reporter, event_slug)
    if not permissions.can_report_message(reporter, message, event):
        raise NotAllowed("Report it to an event you take part in.", field="event")
    if reason not in Reason.values:
        raise Invalid("Choose a reason.", field="reason")
    note = clean_text(note or "", field="note", max_length=500)
    earlier = MessageReport.objects.filter(message=message, reporter=reporter).first()
    if earlier is not None:
        return earlier, False
    ratelimits.enforce("report", user=reporter)
    with transaction.atomic():
        report = MessageReport.objects.create(
            message=message, event=event, reporter=reporter, reason=reason, note=note
        )
        record_event(
            moderation.mod_topic(event.pk),
            "dm_report.created",
            {"id": report.pk, "reason": reason, "sender": message.sender.username},
        )
    return report, True


def close_message_report(
    actor: User, report: MessageReport, *, outcome: Any, message: Any = ""
) -> MessageReport:
    """A facilitator handles a reported message: dismiss it, or warn its sender privately
    (the warning goes in the audit log like any other)."""
    if not moderation_permissions.can_moderate(actor, report.event):
        raise NotAllowed("Only the event's facilitators handle reports.")
    if report.closed_at is not None:
        raise Conflict("This report was already handled.", code="closed")
    if outcome not in ("dismissed", "warned"):
        raise Invalid("Choose dismiss or warn.", field="outcome")
    with transaction.atomic():
        if outcome == "warned":
            moderation.warn(
                actor,
                report.event,
                report.message.sender,
                reason=report.reason,
                message=message,
            )
        report.closed_at = timezone.now()
        report.closed_by = actor
        report.outcome = outcome
        report.save(update_fields=["closed_at", "closed_by", "outcome"])
        record_event(
            moderation.mod_topic(report.event_id),
            "dm_report.closed",
            {"id": report.pk, "outcome": outcome, "by": actor.username},
        )
    return report
