"""Q&A: questions to a session's presenters, votes, and what presenters and facilitators do."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from backchannel.errors import Invalid, NotAllowed
from backchannel.events.queries import get_session_for
from backchannel.qa import actions, permissions, polls, queries
from backchannel.qa.models import Question
from backchannel.qa.presenters import question_data

from .auth import SIGNED_IN, actor, viewer
from .schemas import AuthorOut, CautionError, CrisisSupport, Error, Id

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
    crisis_support: CrisisSupport | None = Field(
        None,
        description="Only in the answer to the asker, when the question has crisis language: "
        "resources to show them at once.",
    )


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
    asked = actions.ask(
        actor(request),
        session,
        body=payload.body,
        anonymous=payload.anonymous,
        client_id=payload.client_id,
        confirm=payload.confirm,
    )
    if not asked.created:
        response["Idempotent-Replayed"] = "true"
    answer = {**_out(actor(request), asked.question), "crisis_support": asked.crisis_support}
    return Status(202 if asked.pending else 201, answer)


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


# --- Polls -------------------------------------------------------------------------------------


class PollIn(Schema):
    question: str = Field(..., max_length=400)
    kind: Literal["single", "multiple", "words", "rating"]
    options: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    hide_results: bool = Field(False, description="Show results only once the poll closes.")
    scale_max: int = Field(5, ge=2, le=10, description="Rating polls: 1 to this.")


class PollOptionOut(Schema):
    id: int
    label: str


class PollCount(Schema):
    label: str
    count: int


class PollOut(Schema):
    id: int
    session_id: int
    question: str
    kind: str
    status: str
    hide_results: bool
    scale_max: int
    options: list[PollOptionOut]
    total: int
    visible: bool = Field(description="False while results are hidden until the poll closes.")
    results: list[PollCount]


class PollChange(Schema):
    status: Literal["open", "closed"]


class PollAnswerIn(Schema):
    options: list[Id] = Field(default_factory=list, max_length=20)
    text: str = Field("", max_length=200, description="Word-cloud polls: a short answer.")
    rating: int | None = Field(None, ge=0, le=100)


class PollAnswerOut(Schema):
    poll_id: int
    answered: bool


def _poll_out(user: Any, poll: Any) -> dict[str, Any]:
    found = polls.results(poll, for_runner=permissions.can_run_questions(user, poll.session))
    return {
        "id": poll.pk,
        "session_id": poll.session_id,
        "question": poll.question,
        "kind": poll.kind,
        "status": poll.status,
        "hide_results": poll.hide_results,
        "scale_max": poll.scale_max,
        "options": [{"id": o.pk, "label": o.label} for o in poll.options.all()],
        **{k: v for k, v in found.as_dict().items() if k != "poll_id"},
    }


@router.get("/sessions/{session_id}/polls", response={200: list[PollOut], 404: Error})
def list_polls(request: HttpRequest, session_id: Id) -> Any:
    """Open and closed polls with their results (drafts too for presenters and facilitators).
    Live: `poll.updated` on the session's stream."""
    user = viewer(request)
    session = get_session_for(user, session_id)
    return [_poll_out(user, p) for p in polls.polls_for(user, session)]


@router.post(
    "/sessions/{session_id}/polls",
    auth=SIGNED_IN,
    response={201: PollOut, 400: Error, 403: Error, 404: Error},
)
def create_poll(request: HttpRequest, session_id: Id, payload: PollIn) -> Any:
    """A draft poll (presenters and facilitators); open it with PATCH."""
    session = get_session_for(actor(request), session_id)
    poll = polls.create_poll(actor(request), session, **payload.dict())
    return Status(201, _poll_out(actor(request), poll))


@router.patch(
    "/polls/{poll_id}",
    auth=SIGNED_IN,
    response={200: PollOut, 403: Error, 404: Error, 409: Error},
)
def change_poll(request: HttpRequest, poll_id: Id, payload: PollChange) -> Any:
    """Open or close (results show to everyone once closed)."""
    poll = polls.get_poll_for(actor(request), poll_id)
    polls.set_status(actor(request), poll, status=payload.status)
    return _poll_out(actor(request), poll)


@router.post(
    "/polls/{poll_id}/responses",
    auth=SIGNED_IN,
    response={201: PollAnswerOut, 400: Error, 403: Error, 404: Error, 409: Error, 429: Error},
)
def answer_poll(request: HttpRequest, poll_id: Id, payload: PollAnswerIn) -> Any:
    """Answer once: `options` (ids), `text` (a short answer) or `rating`, by the poll's kind."""
    poll = polls.get_poll_for(actor(request), poll_id)
    polls.answer(
        actor(request), poll, options=payload.options, text=payload.text, rating=payload.rating
    )
    return Status(201, {"poll_id": poll.pk, "answered": True})


@router.get("/polls/{poll_id}/results", response={200: PollOut, 404: Error})
def poll_results(request: HttpRequest, poll_id: Id) -> Any:
    user = viewer(request)
    return _poll_out(user, polls.get_poll_for(user, poll_id))


@router.get(
    "/polls/{poll_id}/results.csv", auth=SIGNED_IN, response={200: None, 403: Error, 404: Error}
)
def poll_results_csv(request: HttpRequest, poll_id: Id) -> Any:
    """The results as CSV (presenters and facilitators), safe to open in a spreadsheet."""
    poll = polls.get_poll_for(actor(request), poll_id)
    if not permissions.can_run_questions(actor(request), poll.session):
        raise NotAllowed("Only the session's presenters and facilitators export results.")
    response = HttpResponse(polls.results_csv(poll), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}.csv"'
    return response
