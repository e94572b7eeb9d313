"""Moderation: reports, the queue, decisions on posts and people, appeals, word filters,
session settings, the transparency counts, and each person's notices."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from backchannel.events.queries import get_event_for, get_session_for
from backchannel.feed import queries as feed_queries
from backchannel.moderation import actions, queries
from backchannel.moderation.models import Reason, WordFilter
from backchannel.moderation.presenters import (
    action_data,
    appeal_data,
    notice_data,
    queue_item_data,
    sanction_data,
    word_filter_data,
)

from .auth import SIGNED_IN, actor, viewer
from .schemas import MAX_ID, Error, Id, PostOut

router = Router(tags=["moderation"])

ReasonIn = Literal[tuple(Reason.values)]  # type: ignore[valid-type]


class ReportIn(Schema):
    reason: ReasonIn  # type: ignore[valid-type]
    note: str = Field("", max_length=2000, description="What the facilitators should know.")


class ReportOut(Schema):
    id: int
    post_id: int
    reason: str
    created: bool = Field(description="False when you had already reported this post.")


class QueueItemOut(Schema):
    post: PostOut
    signals: list[str]
    details: list[str]
    report_count: int
    urgent: bool
    crisis_about: str | None = Field(
        None,
        description="With crisis language, who may be at risk: self (the author), someone_else "
        "or danger (from another person).",
    )
    opened_at: dt.datetime


class QueueOut(Schema):
    items: list[QueueItemOut]


class DecisionIn(Schema):
    action: Literal["approve", "hide", "restore", "remove", "dismiss"]
    reason: ReasonIn | None = None  # type: ignore[valid-type]
    note: str = Field(
        "", max_length=2000, description="For the audit log (not sent to the author)."
    )


class DecisionOut(Schema):
    id: int
    kind: str
    summary: str
    reason: str
    note: str
    actor: str | None
    target: str | None
    post_id: int | None
    session_id: int | None
    created_at: dt.datetime


class LogOut(Schema):
    entries: list[DecisionOut]
    next_before: int | None


class SanctionIn(Schema):
    handle: str = Field(..., max_length=30)
    kind: Literal["warn", "mute", "suspend", "ban"]
    reason: ReasonIn  # type: ignore[valid-type]
    minutes: int | None = Field(None, ge=1, le=actions.MAX_SANCTION_MINUTES)
    message: str = Field("", max_length=2000, description="A warning's text, sent to the person.")
    note: str = Field("", max_length=2000, description="For the audit log.")


class SanctionOut(Schema):
    id: int
    kind: str
    handle: str
    reason: str
    created_at: dt.datetime
    ends_at: dt.datetime | None
    lifted_at: dt.datetime | None
    created_by: str | None


class WarningOut(Schema):
    decision: DecisionOut


class LiftIn(Schema):
    note: str = Field("", max_length=2000)


class SessionModerationIn(Schema):
    premoderated: bool
    slow_mode_seconds: int = Field(0, ge=0, le=actions.MAX_SLOW_MODE_SECONDS)
    questions_premoderated: bool | None = Field(
        None, description="Questions wait for approval; omitted: unchanged."
    )


class SessionModerationOut(Schema):
    session_id: int
    premoderated: bool
    slow_mode_seconds: int


class WordFilterIn(Schema):
    term: str = Field(..., max_length=200)
    action: Literal[tuple(WordFilter.Action.values)]  # type: ignore[valid-type]


class WordFilterOut(Schema):
    id: int
    term: str
    action: str
    created_at: dt.datetime


class AppealIn(Schema):
    text: str = Field(..., max_length=4000)


class AppealOut(Schema):
    id: int
    decision: DecisionOut
    handle: str
    text: str
    outcome: str
    created_at: dt.datetime
    response: str


class AppealDecisionIn(Schema):
    grant: bool
    response: str = Field("", max_length=2000, description="Sent to the person.")


class NoticeOut(Schema):
    id: int
    kind: str
    message: str
    event: str
    post_id: int | None
    decision_id: int | None = Field(description="Appeal with POST /decisions/{id}/appeal.")
    appeal: str | None
    created_at: dt.datetime
    read: bool


class TransparencyRowOut(Schema):
    reason: str
    label: str
    reports: int
    hidden: int
    removed: int


class TransparencyOut(Schema):
    event: str
    rows: list[TransparencyRowOut]
    totals: dict[str, int]
    held: dict[str, int]
    sanctions: dict[str, int]
    appeals: dict[str, int]


class LogParams(Schema):
    before: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=200)


@router.post(
    "/posts/{post_id}/reports",
    auth=SIGNED_IN,
    response={201: ReportOut, 200: ReportOut, 400: Error, 403: Error, 404: Error, 429: Error},
)
def report_post(request: HttpRequest, post_id: Id, payload: ReportIn) -> Any:
    """Report a post to the event's facilitators (once per post; a repeat answers 200 with
    your first report). The author is not told who reported."""
    post = feed_queries.get_post_for(actor(request), post_id)
    report, created = actions.report_post(
        actor(request), post, reason=payload.reason, note=payload.note
    )
    data = {"id": report.pk, "post_id": post.pk, "reason": report.reason, "created": created}
    return Status(201 if created else 200, data)


@router.get(
    "/events/{slug}/moderation/queue",
    auth=SIGNED_IN,
    response={200: QueueOut, 403: Error, 404: Error},
)
def queue(request: HttpRequest, slug: str) -> Any:
    """Open items, crisis first then the longest waiting. Live: `GET
    /api/v1/events/{slug}/moderation/stream` (`queue.item`, `queue.closed`, `appeal.created`)."""
    event = queries.moderated_event(actor(request), slug)
    return {"items": [queue_item_data(item) for item in queries.open_queue(event)]}


_DECISIONS = {
    "approve": lambda a, p, d: actions.approve_post(a, p, note=d.note),
    "hide": lambda a, p, d: actions.hide_post(a, p, reason=d.reason, note=d.note),
    "restore": lambda a, p, d: actions.restore_post(a, p, note=d.note),
    "remove": lambda a, p, d: actions.remove_post(a, p, reason=d.reason, note=d.note),
    "dismiss": lambda a, p, d: actions.dismiss(a, p, note=d.note),
}


@router.post(
    "/posts/{post_id}/moderation",
    auth=SIGNED_IN,
    response={200: DecisionOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def decide_post(request: HttpRequest, post_id: Id, payload: DecisionIn) -> Any:
    """Approve a held post, hide (reversible), restore, remove (erases the text), or dismiss
    the reports. `reason` is required to hide or remove."""
    post = feed_queries.get_post_for(actor(request), post_id)
    return action_data(_DECISIONS[payload.action](actor(request), post, payload))


@router.get(
    "/events/{slug}/moderation/log",
    auth=SIGNED_IN,
    response={200: LogOut, 403: Error, 404: Error},
)
def moderation_log(request: HttpRequest, slug: str, params: Query[LogParams]) -> Any:
    """Every decision, newest first: who, what, when, why."""
    event = queries.moderated_event(actor(request), slug)
    entries = queries.log(event, before=params.before, limit=params.limit)
    more = len(entries) == params.limit
    return {
        "entries": [action_data(e) for e in entries],
        "next_before": entries[-1].pk if entries and more else None,
    }


@router.get(
    "/events/{slug}/sanctions",
    auth=SIGNED_IN,
    response={200: list[SanctionOut], 403: Error, 404: Error},
)
def list_sanctions(request: HttpRequest, slug: str) -> Any:
    """Restrictions in force."""
    event = queries.moderated_event(actor(request), slug)
    return [sanction_data(s) for s in queries.current_sanctions(event)]


@router.post(
    "/events/{slug}/sanctions",
    auth=SIGNED_IN,
    response={201: SanctionOut | WarningOut, 400: Error, 403: Error, 404: Error},
)
def create_sanction(request: HttpRequest, slug: str, payload: SanctionIn) -> Any:
    """Warn (with `message`), mute (`minutes` required), suspend (`minutes`, or until lifted)
    or ban someone at the event. Suspending or banning closes their open streams at once."""
    event = queries.moderated_event(actor(request), slug)
    target = queries.get_person(payload.handle.lstrip("@"))
    if payload.kind == "warn":
        decision = actions.warn(
            actor(request), event, target, reason=payload.reason, message=payload.message
        )
        return Status(201, {"decision": action_data(decision)})
    row = actions.sanction(
        actor(request),
        event,
        target,
        kind=payload.kind,
        reason=payload.reason,
        minutes=payload.minutes,
        note=payload.note,
    )
    return Status(201, sanction_data(row))


@router.post(
    "/sanctions/{sanction_id}/lift",
    auth=SIGNED_IN,
    response={200: SanctionOut, 403: Error, 404: Error, 409: Error},
)
def lift_sanction(request: HttpRequest, sanction_id: Id, payload: LiftIn) -> Any:
    row = queries.get_sanction_for(actor(request), sanction_id)
    actions.lift(actor(request), row, note=payload.note)
    return sanction_data(row)


@router.put(
    "/sessions/{session_id}/moderation",
    auth=SIGNED_IN,
    response={200: SessionModerationOut, 400: Error, 403: Error, 404: Error},
)
def session_moderation(request: HttpRequest, session_id: Id, payload: SessionModerationIn) -> Any:
    """Pre-moderation (posts wait for approval) and slow mode (seconds between one person's
    posts; 0 is off) for a session. Facilitators and the session's presenters are exempt."""
    session = get_session_for(actor(request), session_id)
    actions.set_session_moderation(
        actor(request),
        session,
        premoderated=payload.premoderated,
        slow_mode_seconds=payload.slow_mode_seconds,
        questions_premoderated=payload.questions_premoderated,
    )
    return {
        "session_id": session.pk,
        "premoderated": session.premoderated,
        "slow_mode_seconds": session.slow_mode_seconds,
    }


@router.get(
    "/events/{slug}/word-filters",
    auth=SIGNED_IN,
    response={200: list[WordFilterOut], 403: Error, 404: Error},
)
def list_word_filters(request: HttpRequest, slug: str) -> Any:
    event = queries.moderated_event(actor(request), slug)
    return [word_filter_data(f) for f in queries.word_filters(event)]


@router.post(
    "/events/{slug}/word-filters",
    auth=SIGNED_IN,
    response={201: WordFilterOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def add_word_filter(request: HttpRequest, slug: str, payload: WordFilterIn) -> Any:
    """A term (matched as a whole word, any case) and what happens to posts using it:
    `block` (refused with a message), `hold` (waits for approval), `flag` (published, and
    shown to facilitators)."""
    event = queries.moderated_event(actor(request), slug)
    row = actions.add_word_filter(actor(request), event, term=payload.term, action=payload.action)
    return Status(201, word_filter_data(row))


@router.delete(
    "/word-filters/{filter_id}", auth=SIGNED_IN, response={204: None, 403: Error, 404: Error}
)
def remove_word_filter(request: HttpRequest, filter_id: Id) -> Any:
    actions.remove_word_filter(
        actor(request), queries.get_word_filter_for(actor(request), filter_id)
    )
    return Status(204, None)


@router.get("/me/notices", auth=SIGNED_IN, response=list[NoticeOut])
def my_notices(request: HttpRequest) -> Any:
    """Decisions about your posts and account, newest first (only you see these)."""
    return [notice_data(n) for n in queries.notices_for(actor(request))]


@router.post(
    "/decisions/{decision_id}/appeal",
    auth=SIGNED_IN,
    response={201: AppealOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def appeal(request: HttpRequest, decision_id: Id, payload: AppealIn) -> Any:
    """Ask the facilitators to look again at a decision about you (once)."""
    decision = queries.get_decision_for(actor(request), decision_id)
    row = actions.appeal(actor(request), decision, text=payload.text)
    return Status(201, appeal_data(row))


@router.get(
    "/events/{slug}/appeals",
    auth=SIGNED_IN,
    response={200: list[AppealOut], 403: Error, 404: Error},
)
def pending_appeals(request: HttpRequest, slug: str) -> Any:
    event = queries.moderated_event(actor(request), slug)
    return [appeal_data(a) for a in queries.pending_appeals(event)]


@router.post(
    "/appeals/{appeal_id}/decision",
    auth=SIGNED_IN,
    response={200: AppealOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def decide_appeal(request: HttpRequest, appeal_id: Id, payload: AppealDecisionIn) -> Any:
    """Grant (hidden posts come back, restrictions are lifted) or uphold; the person is told."""
    row = queries.get_appeal_for(actor(request), appeal_id)
    actions.decide_appeal(actor(request), row, grant=payload.grant, response=payload.response)
    return appeal_data(row)


@router.get("/events/{slug}/moderation/transparency", response={200: TransparencyOut, 404: Error})
def transparency(request: HttpRequest, slug: str) -> Any:
    """Public counts of reports, holds, hidden and removed posts by reason, restrictions and
    appeals. No content and no names."""
    event = get_event_for(viewer(request), slug)
    counts = queries.transparency(event)
    return {
        "event": event.slug,
        "rows": [vars(r) for r in counts.rows],
        "totals": counts.totals,
        "held": counts.held,
        "sanctions": counts.sanctions,
        "appeals": counts.appeals,
    }
