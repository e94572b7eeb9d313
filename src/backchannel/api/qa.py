"""Q&A: questions to a session's presenters, votes, and what presenters and facilitators do."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from backchannel.errors import CautionNeeded, Invalid, NotAllowed
from backchannel.events.queries import get_session_for
from backchannel.moderation import ratelimits
from backchannel.qa import actions, permissions, queries
from backchannel.qa.models import Question
from backchannel.qa.presenters import question_data

from .auth import SIGNED_IN, actor, viewer
from .schemas import AuthorOut, CautionError, Error, Id

router = Router(tags=["questions"])


class QuestionIn(Schema):
    body: str = Field(..., max_length=2000, description="At most 300 characters.")
    anonymous: bool = Field(
        False, description="Hide your name from other attendees (never from presenters)."
    )
    client_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9._:-]{1,64}$")
    confirm: bool = False


class QuestionOut(Schema):
    id: int
    session_id: int
    body: str
    anonymous: bool
    author: AuthorOut | None = Field(description="Null when anonymous (unless you may see it).")
    status: str
    vote_count: int
    merged_into: int | None
    created_at: dt.datetime
    edited: bool
    answered_at: dt.datetime | None
    voted: bool | None = None


class QuestionList(Schema):
    questions: list[QuestionOut]
    now_answering: int | None


class ListParams(Schema):
    order: Literal["top", "new"] = "top"
    status: Literal["open", "pending"] = Field(
        "open", description="`pending`: waiting for approval (presenters and facilitators)."
    )


class SimilarOut(Schema):
    question: QuestionOut
    score: float


class VoteOut(Schema):
    question_id: int
    vote_count: int
    voted: bool


class QuestionChange(Schema):
    status: Literal["live", "answered", "dismissed"] | None = None
    body: str | None = Field(None, max_length=2000)


class MergeIn(Schema):
    into: Id


class PinIn(Schema):
    question_id: Id | None


class PinOut(Schema):
    session_id: int
    now_answering: int | None


def _out(user: Any, question: Question, voted: set[int] | None = None) -> dict[str, Any]:
    data = question_data(question, with_asker=permissions.can_see_asker(user, question))
    if voted is not None:
        data["voted"] = question.pk in voted
    return data


@router.get(
    "/sessions/{session_id}/questions", response={200: QuestionList, 403: Error, 404: Error}
)
def list_questions(request: HttpRequest, session_id: Id, params: Query[ListParams]) -> Any:
    """Open and answered questions, top-voted or newest first. Live on the session's stream:
    `question.created`, `question.updated`, `question.voted`, `question.removed`,
    `question.merged`, `question.pinned`."""
    user = viewer(request)
    session = get_session_for(user, session_id)
    if params.status == "pending":
        if not permissions.can_run_questions(user, session):
            raise NotAllowed("Only the session's presenters and facilitators see these.")
        found = queries.pending(session)
    else:
        found = queries.listed(session, order=params.order)
    voted = queries.voted_by(user, [q.pk for q in found])
    return {
        "questions": [_out(user, q, voted) for q in found],
        "now_answering": session.now_answering_id,
    }


@router.post(
    "/sessions/{session_id}/questions",
    auth=SIGNED_IN,
    response={
        201: QuestionOut,
        202: QuestionOut,
        400: Error,
        403: Error,
        404: Error,
        409: CautionError,
        422: Error,
        429: Error,
    },
)
def ask(request: HttpRequest, response: HttpResponse, session_id: Id, payload: QuestionIn) -> Any:
    """Ask. `202` when the session approves questions first; `409` with the caution findings
    (repeat with `confirm: true`); a repeated `client_id` returns the first question."""
    session = get_session_for(actor(request), session_id)
    ratelimits.enforce_request("post", request, actor(request))
    try:
        asked = actions.ask(
            actor(request),
            session,
            body=payload.body,
            anonymous=payload.anonymous,
            client_id=payload.client_id,
            confirm=payload.confirm,
        )
    except CautionNeeded as exc:
        caution = [f.as_dict() for f in exc.findings]
        return Status(409, {"detail": exc.message, "code": exc.code, "caution": caution})
    if not asked.created:
        response["Idempotent-Replayed"] = "true"
    return Status(202 if asked.pending else 201, _out(actor(request), asked.question))


@router.get(
    "/sessions/{session_id}/questions/similar",
    response={200: list[SimilarOut], 404: Error},
)
def similar(request: HttpRequest, session_id: Id, text: str = "") -> Any:
    """Open questions like `text`, to suggest voting for one instead of asking again."""
    user = viewer(request)
    session = get_session_for(user, session_id)
    return [
        {"question": _out(user, q), "score": round(score, 1)}
        for q, score in queries.similar(session, text[:300])
    ]


def _vote(request: HttpRequest, question_id: int, on: bool) -> dict[str, Any]:
    question = queries.get_question_for(actor(request), question_id)
    count = actions.set_vote(actor(request), question, on=on)
    return {"question_id": question.pk, "vote_count": count, "voted": on}


@router.post(
    "/questions/{question_id}/vote",
    auth=SIGNED_IN,
    response={200: VoteOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def vote(request: HttpRequest, question_id: Id) -> Any:
    """Upvote (once; repeating changes nothing)."""
    return _vote(request, question_id, True)


@router.delete(
    "/questions/{question_id}/vote",
    auth=SIGNED_IN,
    response={200: VoteOut, 403: Error, 404: Error, 409: Error},
)
def unvote(request: HttpRequest, question_id: Id) -> Any:
    """Take your vote back."""
    return _vote(request, question_id, False)


@router.patch(
    "/questions/{question_id}",
    auth=SIGNED_IN,
    response={200: QuestionOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def change(request: HttpRequest, question_id: Id, payload: QuestionChange) -> Any:
    """Presenters and facilitators: approve (`live`), mark `answered`, `dismissed`, or fix a
    typo in `body`."""
    question = queries.get_question_for(actor(request), question_id)
    if payload.body is not None:
        actions.edit(actor(request), question, body=payload.body)
    if payload.status is not None:
        actions.set_status(actor(request), question, status=payload.status)
    if payload.body is None and payload.status is None:
        if not permissions.can_run_questions(actor(request), question.session):
            raise NotAllowed("Only the session's presenters and facilitators can do that.")
        raise Invalid("Say what to change: status or body.")
    return _out(actor(request), question)


@router.post(
    "/questions/{question_id}/merge",
    auth=SIGNED_IN,
    response={200: QuestionOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def merge(request: HttpRequest, question_id: Id, payload: MergeIn) -> Any:
    """Fold this duplicate into another question; votes carry over, once per person."""
    duplicate = queries.get_question_for(actor(request), question_id)
    into = queries.get_question_for(actor(request), payload.into)
    return _out(actor(request), actions.merge(actor(request), duplicate, into))


@router.put(
    "/sessions/{session_id}/now-answering",
    auth=SIGNED_IN,
    response={200: PinOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def now_answering(request: HttpRequest, session_id: Id, payload: PinIn) -> Any:
    """Pin the question being answered (or `null`)."""
    session = get_session_for(actor(request), session_id)
    question = (
        queries.get_question_for(actor(request), payload.question_id)
        if payload.question_id
        else None
    )
    actions.pin(actor(request), session, question)
    return {"session_id": session.pk, "now_answering": session.now_answering_id}
