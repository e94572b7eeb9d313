"""How moderation records look in the API."""

from __future__ import annotations

from typing import Any

from backchannel.feed.presenters import post_data

from .models import Appeal, ModerationAction, Notice, QueueItem, Sanction, WordFilter


def _handle(user: Any) -> str | None:
    return user.username if user is not None else None


def queue_item_data(item: QueueItem) -> dict[str, Any]:
    return {
        "post": post_data(item.post, with_html=False),
        "signals": item.signals,
        "details": item.details,
        "report_count": item.report_count,
        "urgent": item.urgent,
        "crisis_about": item.crisis_about or None,
        "opened_at": item.opened_at,
    }


def action_data(action: ModerationAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "kind": action.kind,
        "summary": action.summary,
        "reason": action.reason,
        "note": action.note,
        "actor": _handle(action.actor),
        "target": _handle(action.target),
        "post_id": action.post_id,
        "session_id": action.session_id,
        "created_at": action.created_at,
    }


def sanction_data(sanction: Sanction) -> dict[str, Any]:
    return {
        "id": sanction.pk,
        "kind": sanction.kind,
        "handle": sanction.user.username,
        "reason": sanction.reason,
        "created_at": sanction.created_at,
        "ends_at": sanction.ends_at,
        "lifted_at": sanction.lifted_at,
        "created_by": _handle(sanction.created_by),
    }


def notice_data(notice: Notice) -> dict[str, Any]:
    appeal = getattr(notice.action, "appeal", None) if notice.action_id else None
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "message": notice.message,
        "event": notice.event.slug,
        "post_id": notice.post_id,
        "decision_id": notice.action_id,
        "appeal": appeal.outcome if appeal else None,
        "created_at": notice.created_at,
        "read": notice.read_at is not None,
    }


def appeal_data(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "decision": action_data(appeal.action),
        "handle": appeal.user.username,
        "text": appeal.text,
        "outcome": appeal.outcome,
        "created_at": appeal.created_at,
        "response": appeal.response,
    }


def word_filter_data(row: WordFilter) -> dict[str, Any]:
    return {"id": row.pk, "term": row.term, "action": row.action, "created_at": row.created_at}
