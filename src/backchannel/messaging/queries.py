"""Reads of direct messages, always for one of the two people in the conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from backchannel.accounts import queries as people
from backchannel.accounts.models import Reader, User
from backchannel.errors import NotFound
from backchannel.events.models import Event

from .models import Conversation, Message, MessageReport


@dataclass(frozen=True)
class ConversationSummary:
    partner: User
    last_message: Message | None
    unread: int


def _pair(a: Any, b: Any) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def conversations_for(user: Reader, *, limit: int = 100) -> list[ConversationSummary]:
    newest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-id").values("pk")[:1]
    rows = list(
        Conversation.objects.filter(Q(first=user) | Q(second=user))
        .exclude(last_message_at=None)
        .select_related("first", "second")
        .annotate(
            unread=Count("messages", filter=Q(messages__recipient=user, messages__read_at=None)),
            last_id=Subquery(newest),
        )
        .order_by("-last_message_at")[:limit]
    )
    last = {m.conversation_id: m for m in Message.objects.filter(pk__in=[c.last_id for c in rows])}
    return [
        ConversationSummary(
            partner=c.second if c.first_id == user.pk else c.first,
            last_message=last.get(c.pk),
            unread=c.unread,
        )
        for c in rows
    ]


def conversation_between(user: Reader, partner: Any) -> Conversation | None:
    first, second = _pair(user, partner)
    return Conversation.objects.filter(first_id=first, second_id=second).first()


def messages_between(
    user: Reader, handle: str, *, before: int | None = None, limit: int = 100
) -> tuple[User, list[Message]]:
    """The partner and the conversation's messages, oldest first (the newest `limit`). Only
    ever for `user`'s own conversation: the pair is made from the reader."""
    try:
        partner = people.get_person(handle)
    except NotFound:
        # A closed account's old conversation is still the reader's to read.
        partner = people.get_person_or_former(handle)
        if conversation_between(user, partner) is None:
            raise
    conversation = conversation_between(user, partner)
    if conversation is None:
        return partner, []
    rows = Message.objects.filter(conversation=conversation).select_related("sender", "recipient")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    newest = list(rows.order_by("-id")[:limit])
    newest.reverse()
    return partner, newest


def unread_message_count(user: Reader) -> int:
    if not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at=None).count()


def open_message_reports(event: Event) -> list[MessageReport]:
    return list(
        MessageReport.objects.filter(event=event, closed_at=None)
        .select_related("message__sender", "reporter")
        .order_by("created_at")
    )


def get_message_report(event: Event, report_id: int) -> MessageReport:
    report = (
        MessageReport.objects.select_related("event", "message__sender")
        .filter(pk=report_id, event=event)
        .first()
    )
    if report is None:
        raise NotFound("No such report.")
    return report


def received_message(user: User, message_id: int) -> Message:
    message = Message.objects.select_related("sender").filter(pk=message_id, recipient=user).first()
    if message is None:
        raise NotFound("No such message.")
    return message
