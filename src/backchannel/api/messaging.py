"""Direct messages: between two people, readable by them only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from backchannel.accounts import queries as people
from backchannel.messaging import actions, permissions, queries
from backchannel.messaging.presenters import message_data
from backchannel.moderation import queries as moderation_queries

from .accounts import person_data
from .auth import SIGNED_IN, actor
from .schemas import (
    ConversationOut,
    ConversationSummaryOut,
    Error,
    Id,
    MessageIn,
    MessageOut,
    MessageReportDecisionIn,
    MessageReportIn,
    MessageReportOut,
    ReportedMessageOut,
)

router = Router(tags=["direct messages"])


@router.get("/dms", auth=SIGNED_IN, response=list[ConversationSummaryOut])
def conversations(request: HttpRequest) -> Any:
    """Your conversations, the most recent first, with unread counts."""
    return [
        {
            "partner": person_data(c.partner),
            "unread": c.unread,
            "last_message": message_data(c.last_message) if c.last_message else None,
        }
        for c in queries.conversations_for(actor(request))
    ]


@router.get("/dms/{handle}", auth=SIGNED_IN, response={200: ConversationOut, 404: Error})
def conversation(request: HttpRequest, handle: str, before: Id | None = None) -> Any:
    """Your conversation with `handle` (the newest 100 messages, oldest first; page back with
    `before`). Reading does not mark it read: `POST /dms/{handle}/read` does."""
    user = actor(request)
    partner, rows = queries.messages_between(user, handle, before=before)
    why_not = permissions.why_cannot_message(user, partner)
    return {
        "partner": person_data(partner),
        "messages": [message_data(m) for m in rows],
        "can_send": why_not is None,
        "why_not": why_not,
        "privacy": f"Only you and @{partner.username} can read this conversation.",
    }


@router.post(
    "/dms/{handle}",
    auth=SIGNED_IN,
    response={200: MessageOut, 201: MessageOut, 400: Error, 403: Error, 404: Error, 429: Error},
)
def send(request: HttpRequest, handle: str, payload: MessageIn) -> Any:
    """Send `handle` a message. A repeated `client_id` returns the first message (200)."""
    sent = actions.send_message(
        actor(request), handle, body=payload.body, client_id=payload.client_id
    )
    return Status(201 if sent.created else 200, message_data(sent.message))


@router.post("/dms/{handle}/read", auth=SIGNED_IN, response={200: dict, 404: Error})
def mark_read(request: HttpRequest, handle: str) -> Any:
    user = actor(request)
    people.get_person_or_former(handle)
    marked = actions.mark_read(user, handle)
    return {"marked": marked, "unread": queries.unread_message_count(user)}


@router.post(
    "/dms/messages/{message_id}/report",
    auth=SIGNED_IN,
    response={
        200: MessageReportOut,
        201: MessageReportOut,
        400: Error,
        403: Error,
        404: Error,
        429: Error,
    },
)
def report(request: HttpRequest, message_id: Id, payload: MessageReportIn) -> Any:
    """Show one message you received to the facilitators of an event you take part in."""
    row, created = actions.report_message(
        actor(request),
        message_id,
        event_slug=payload.event,
        reason=payload.reason,
        note=payload.note,
    )
    data = {"id": row.pk, "event": row.event.slug, "reason": row.reason, "created": created}
    return Status(201 if created else 200, data)


@router.get(
    "/events/{slug}/moderation/message-reports",
    auth=SIGNED_IN,
    response={200: list[ReportedMessageOut], 403: Error, 404: Error},
)
def reported_messages(request: HttpRequest, slug: str) -> Any:
    """Facilitators: the messages reported to this event, each alone (never a conversation)."""
    event = moderation_queries.moderated_event(actor(request), slug)
    return [
        {
            "id": r.pk,
            "reason": r.reason,
            "note": r.note,
            "sender": r.message.sender.username,
            "body": "" if r.message.erased_at else r.message.body,
            "created_at": r.created_at.isoformat(),
        }
        for r in queries.open_message_reports(event)
    ]


@router.post(
    "/events/{slug}/moderation/message-reports/{report_id}",
    auth=SIGNED_IN,
    response={200: dict, 400: Error, 403: Error, 404: Error, 409: Error},
)
def decide_report(
    request: HttpRequest, slug: str, report_id: Id, payload: MessageReportDecisionIn
) -> Any:
    """Facilitators: `dismissed`, or `warned` (the sender gets `message` privately)."""
    event = moderation_queries.moderated_event(actor(request), slug)
    row = queries.get_message_report(event, report_id)
    actions.close_message_report(
        actor(request), row, outcome=payload.outcome, message=payload.message
    )
    return {"id": row.pk, "outcome": row.outcome}
