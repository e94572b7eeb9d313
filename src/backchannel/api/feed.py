"""Posts, replies and reactions in a session's feed."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from ninja import Field, Query, Router, Schema, Status

from backchannel.accounts.models import Reader
from backchannel.events.queries import get_event_for, get_session_for
from backchannel.feed import actions, queries
from backchannel.feed.models import Reaction
from backchannel.feed.presenters import post_data
from backchannel.wall import actions as wall_actions
from backchannel.wall import queries as wall_queries

from .auth import SIGNED_IN, actor, viewer
from .schemas import (
    MAX_ID,
    RENDERER,
    CautionError,
    Error,
    Id,
    PostIn,
    PostOut,
    PostPage,
    ReactionOut,
)

router = Router(tags=["feed"])


# What writing a post can answer (posting and commenting on an article alike).
POSTING_ANSWERS: dict[int, Any] = {
    201: PostOut,
    202: PostOut,
    400: Error,
    403: Error,
    404: Error,
    409: CautionError,
    422: Error,
    429: Error,
}


def page_of_posts(user: Reader, page: list[Any], limit: int) -> dict[str, Any]:
    """A page of posts as the API gives it: each with whether the reader liked it, and where
    the next page starts (none once a page comes back short)."""
    liked = queries.liked_by(user, [p.pk for p in page])
    items = [{**post_data(p, with_html=False), "liked": p.pk in liked} for p in page]
    more = len(page) == limit
    return {"posts": items, "next_before": page[-1].pk if page and more else None}


# PostOut's fields in its order, with its defaults (None where a field has none: the post's
# data fills those). The answer to a post is the data the stream carried, encoded by the API's
# renderer without django-ninja validating it into PostOut again: that was a twentieth of a
# post's CPU (issue #17). tests/api/test_post_answer.py checks that the bytes are PostOut's.
_POST_OUT_TEMPLATE: dict[str, Any] = {
    name: None if field.is_required() else field.default
    for name, field in PostOut.model_fields.items()
}


def posted(request: HttpRequest, response: HttpResponse, result: actions.PostResult) -> Any:
    """The answer to a post: 201, 202 while held for a facilitator, and on a retried
    `client_id` the first post with `Idempotent-Replayed: true`; crisis resources for the
    author when the text needs them."""
    if not result.created:
        response["Idempotent-Replayed"] = "true"
    response.status_code = 202 if result.held else 201
    answer = {
        **_POST_OUT_TEMPLATE,
        **result.data,
        "created_at": result.post.created_at,  # encoded as PostOut's datetime is
        "crisis_support": result.crisis_support,
    }
    response.content = RENDERER.render(request, answer, response_status=response.status_code)
    return response


class PageParams(Schema):
    before: int | None = Field(None, ge=1, le=MAX_ID, description="Only posts older than this id.")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


@router.get("/sessions/{session_id}/posts", response={200: PostPage, 404: Error})
def list_posts(request: HttpRequest, session_id: Id, params: Query[PageParams]) -> Any:
    """The feed, newest first (replies included; `reply_to` and `thread_root` link them)."""
    user = viewer(request)
    session = get_session_for(user, session_id)
    page = queries.posts(session, before=params.before, limit=params.limit)
    return page_of_posts(user, page, params.limit)


@router.post("/sessions/{session_id}/posts", auth=SIGNED_IN, response=POSTING_ANSWERS)
def create_post(
    request: HttpRequest, response: HttpResponse, session_id: Id, payload: PostIn
) -> Any:
    """Publish a post. Repeating a `client_id` returns the first post (header
    `Idempotent-Replayed: true`) and never makes a copy. When the caution check finds a
    passage that could identify a child or family, a health or contact detail, or harassment,
    the answer is 409 with the findings: repeat with `confirm: true` to publish anyway.
    202: the post is held for a facilitator (pre-moderation or a word filter; `status` is
    `held`). 429 with `Retry-After`: too many posts too quickly, or the session's slow mode.
    403 with code `muted` or `suspended`: a facilitator restricted the author."""
    session = get_session_for(actor(request), session_id)
    result = actions.create_post(
        actor(request),
        session,
        body=payload.body,
        reply_to=payload.reply_to,
        client_id=payload.client_id,
        confirm=payload.confirm,
        coverage=payload.coverage,
    )
    return posted(request, response, result)


@router.get("/posts/{post_id}", response={200: PostOut, 404: Error})
def get_post(request: HttpRequest, post_id: Id) -> Any:
    user = viewer(request)
    post = queries.get_post_for(user, post_id)
    return {**post_data(post), "liked": post.pk in queries.liked_by(user, [post.pk])}


@router.delete("/posts/{post_id}", auth=SIGNED_IN, response={204: None, 403: Error, 404: Error})
def delete_post(request: HttpRequest, post_id: Id) -> Any:
    actions.delete_post(actor(request), queries.get_post_for(actor(request), post_id))
    return Status(204, None)


def _react(request: HttpRequest, post_id: int, kind: str, on: bool) -> dict[str, Any]:
    post = queries.get_post_for(actor(request), post_id)
    count = actions.set_reaction(actor(request), post, kind=kind, on=on)
    return {"post_id": post.pk, "kind": kind, "count": count, "mine": on}


@router.put(
    "/posts/{post_id}/reactions/{kind}",
    auth=SIGNED_IN,
    response={200: ReactionOut, 400: Error, 403: Error, 404: Error},
)
def add_reaction(request: HttpRequest, post_id: Id, kind: Reaction.Kind) -> Any:
    """React to a post (idempotent). Kinds: `like`."""
    return _react(request, post_id, kind, on=True)


@router.delete(
    "/posts/{post_id}/reactions/{kind}",
    auth=SIGNED_IN,
    response={200: ReactionOut, 400: Error, 403: Error, 404: Error},
)
def remove_reaction(request: HttpRequest, post_id: Id, kind: Reaction.Kind) -> Any:
    """Take your reaction back (idempotent)."""
    return _react(request, post_id, kind, on=False)


# --- The projector wall ------------------------------------------------------------------------


class WallIn(Schema):
    paused: bool | None = Field(None, description="The kill switch: true blanks the wall.")
    mode: Literal["delay", "approved"] | None = None
    delay_seconds: int | None = Field(None, ge=0, le=wall_queries.MAX_DELAY_SECONDS)


class WallState(Schema):
    paused: bool
    mode: str
    delay_seconds: int


class WallQuestion(Schema):
    id: int
    body: str


class WallOut(Schema):
    state: WallState
    post_ids: list[int]
    posts_html: str = Field(description="The posts as the wall draws them (escaped HTML).")
    now_answering: WallQuestion | None
    poll: dict[str, Any] | None


@router.get("/sessions/{session_id}/wall", response={200: WallOut, 404: Error})
def get_wall(request: HttpRequest, session_id: Id) -> Any:
    """What the projector wall shows now: nothing while paused; otherwise published posts older
    than the delay (or approved ones, in approval mode), the question being answered and the
    open poll's results."""
    session = get_session_for(viewer(request), session_id)
    shown = wall_queries.snapshot(session)
    question, poll = shown.now_answering, shown.poll
    return {
        "state": shown.state,
        "post_ids": [p.pk for p in shown.posts],
        "posts_html": render_to_string(
            "feed/_wall_posts.html", {"posts": shown.posts, "event": session.event}
        ),
        "now_answering": {"id": question.pk, "body": question.body} if question else None,
        "poll": (
            {"question": poll.question, **shown.poll_results.as_dict()}
            if poll and shown.poll_results
            else None
        ),
    }


@router.put(
    "/sessions/{session_id}/wall",
    auth=SIGNED_IN,
    response={200: WallState, 400: Error, 403: Error, 404: Error},
)
def configure_wall(request: HttpRequest, session_id: Id, payload: WallIn) -> Any:
    """Facilitators: pause or resume (one click), the mode, the delay."""
    session = get_session_for(actor(request), session_id)
    wall_actions.configure(actor(request), session, **payload.dict())
    return wall_queries.wall_state(session)


@router.put(
    "/posts/{post_id}/wall",
    auth=SIGNED_IN,
    response={204: None, 400: Error, 403: Error, 404: Error},
)
def approve_for_wall(request: HttpRequest, post_id: Id) -> Any:
    """Facilitators: show this post on the wall (sessions in approval mode)."""
    wall_actions.approve(actor(request), queries.get_post_for(actor(request), post_id), on=True)
    return Status(204, None)


@router.delete(
    "/posts/{post_id}/wall", auth=SIGNED_IN, response={204: None, 403: Error, 404: Error}
)
def withdraw_from_wall(request: HttpRequest, post_id: Id) -> Any:
    wall_actions.approve(actor(request), queries.get_post_for(actor(request), post_id), on=False)
    return Status(204, None)


@router.get("/events/{slug}/following", auth=SIGNED_IN, response={200: PostPage, 404: Error})
def following(request: HttpRequest, slug: str, params: Query[PageParams]) -> Any:
    """Posts by the people you follow, across every session of the event, newest first."""

    event = get_event_for(actor(request), slug)
    rows = queries.by_followed(event, actor(request), before=params.before, limit=params.limit)
    liked = queries.liked_by(actor(request), [p.pk for p in rows])
    return {
        "posts": [{**post_data(p, with_html=False), "liked": p.pk in liked} for p in rows],
        "next_before": rows[-1].pk if len(rows) == params.limit else None,
    }
