"""People: your profile, others' public profiles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from backchannel.accounts import actions, queries

from .auth import SIGNED_IN, actor
from .schemas import Error, ProfileIn, ProfileOut

router = Router(tags=["people"])


def _profile(user: Any) -> dict[str, Any]:
    return {
        "handle": user.username,
        "display_name": user.display_name,
        "bio": user.bio,
        "affiliation": user.affiliation,
        "disclaimer": user.disclaimer,
    }


@router.get("/me", auth=SIGNED_IN, response=ProfileOut)
def me(request: HttpRequest) -> Any:
    return _profile(actor(request))


@router.put("/me", auth=SIGNED_IN, response={200: ProfileOut, 400: Error})
def update_me(request: HttpRequest, payload: ProfileIn) -> Any:
    return _profile(actions.update_profile(actor(request), **payload.dict()))


@router.get("/users/{handle}", response={200: ProfileOut, 404: Error})
def get_user(request: HttpRequest, handle: str) -> Any:
    return _profile(queries.get_person(handle))
