"""Posts, replies and reactions in a session's feed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from backchannel.errors import CautionNeeded
from backchannel.events.queries import get_session_for
from backchannel.feed import actions, queries
from backchannel.feed.models import Reaction
from backchannel.feed.presenters import post_data
from backchannel.moderation import ratelimits

from .auth import SIGNED_IN, actor, viewer
from .schemas import MAX_ID, CautionError, Error, Id, PostIn, PostOut, PostPage, ReactionOut

router = Router(tags=["feed"])


class PageParams(Schema):
    before: int | None = Field(None, ge=1, le=MAX_ID, description="Only posts older than this id.")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


@router.get("/sessions/{session_id}/posts", response={200: PostPage, 404: Error})
def list_posts(request: HttpRequest, session_id: Id, params: Query[PageParams]) -> Any:
    """The feed, newest first (replies included; `reply_to` and `thread_root` link them)."""
    user = viewer(request)
    session = get_session_for(user, session_id)
    page = queries.posts(session, before=params.before, limit=params.limit)
    liked = queries.liked_by(user, [p.pk for p in page])
    items = [{**post_data(p, with_html=False), "liked": p.pk in liked} for p in page]
    more = len(page) == params.limit
    return {"posts": items, "next_before": page[-1].pk if page and more else None}


@router.post(
    "/sessions/{session_id}/posts",
    auth=SIGNED_IN,
    response={
        201: PostOut,
        202: PostOut,
        400: Error,
        403: Error,
        404: Error,
        409: CautionError,
        422: Error,
        429: Error,
    },
)
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
    ratelimits.enforce_request("post", request, actor(request))
    try:
        result = actions.create_post(
            actor(request),
            session,
            body=payload.body,
            reply_to=payload.reply_to,
            client_id=payload.client_id,
            confirm=payload.confirm,
        )
    except CautionNeeded as exc:
        caution = [f.as_dict() for f in exc.findings]
        return Status(409, {"detail": exc.message, "code": exc.code, "caution": caution})
    if not result.created:
        response["Idempotent-Replayed"] = "true"
    return Status(202 if result.held else 201, result.data)


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
