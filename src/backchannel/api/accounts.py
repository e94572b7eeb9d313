"""People: profiles, pictures, follows, blocks, mutes, a person's own data and closing their
account."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from backchannel.accounts import actions, links, queries
from backchannel.accounts.models import User
from backchannel.errors import Invalid
from backchannel.privacy import deletion, export

from .auth import SIGNED_IN, actor
from .schemas import (
    DeletionIn,
    DeletionOut,
    Error,
    LinksOut,
    MyProfileOut,
    PasswordChangeIn,
    PersonBrief,
    ProfileIn,
    ProfileOut,
    TiesOut,
)

router = Router(tags=["people"])


def _profile(user: User) -> dict[str, Any]:
    followers, following = queries.follow_counts(user)
    return {
        "handle": user.username,
        "display_name": user.display_name,
        "bio": user.bio,
        "affiliation": user.affiliation,
        "disclaimer": user.disclaimer,
        "pronouns": user.pronouns,
        "website": user.website,
        "website_verified": user.website_verified_at is not None,
        "mastodon": user.mastodon,
        "mastodon_verified": user.mastodon_verified_at is not None,
        "avatar_url": user.avatar_url or None,
        "followers": followers,
        "following": following,
    }


def _mine(user: User) -> dict[str, Any]:
    return {
        **_profile(user),
        "dms_from": user.dms_from,
        "anonymise_in_exports": user.anonymise_in_exports,
        "federate_posts": user.federate_posts,
    }


def person_data(user: User) -> dict[str, Any]:
    return {
        "handle": user.username,
        "display_name": user.name,
        "avatar_url": user.avatar_url or None,
    }


@router.get("/me", auth=SIGNED_IN, response=MyProfileOut)
def me(request: HttpRequest) -> Any:
    return _mine(actor(request))


@router.put("/me", auth=SIGNED_IN, response={200: MyProfileOut, 400: Error})
def update_me(request: HttpRequest, payload: ProfileIn) -> Any:
    return _mine(actions.update_profile(actor(request), **payload.dict()))


@router.post("/me/avatar", auth=SIGNED_IN, response={200: MyProfileOut, 400: Error})
def upload_avatar(request: HttpRequest, avatar: File[UploadedFile]) -> Any:
    """Multipart upload (field `avatar`): cropped to a square, re-encoded, metadata removed."""
    return _mine(actions.set_avatar(actor(request), avatar.read(6 * 1024 * 1024)))


@router.delete("/me/avatar", auth=SIGNED_IN, response=MyProfileOut)
def delete_avatar(request: HttpRequest) -> Any:
    return _mine(actions.remove_avatar(actor(request)))


@router.post("/me/links/verify", auth=SIGNED_IN, response=LinksOut)
def verify_links(request: HttpRequest) -> Any:
    """Fetch the profile's website and Mastodon pages and look for a rel="me" link back."""
    user = actor(request)
    return links.verify_links(user, links.profile_addresses(request, user.username))


@router.get("/me/export", auth=SIGNED_IN, response={200: None, 400: Error})
def export_mine(request: HttpRequest, format: str = "json") -> Any:
    """Everything you wrote: `format=json` (one document) or `format=csv` (a zip of CSVs)."""
    user = actor(request)
    if format == "json":
        response = HttpResponse(export.as_json(user), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="backchannel-{user.username}.json"'
    elif format == "csv":
        response = HttpResponse(export.as_csv_zip(user), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="backchannel-{user.username}-csv.zip"'
        )
    else:
        raise Invalid("format is json or csv.", field="format")
    response["Cache-Control"] = "private, no-store"
    return response


@router.put(
    "/me/password",
    auth=SIGNED_IN,
    response={204: None, 400: Error, 403: Error, 429: Error},
)
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> Any:
    """Change your password: `current_password`, then a `new_password` that passes the
    password rules (400 `weak_password`). Every session signed in with the old one ends and
    your open streams close; API tokens keep working (revoke them on the tokens page). Wrong
    current passwords are counted: 429 after a few."""
    actions.change_password(
        actor(request), current=payload.current_password, new=payload.new_password
    )
    return Status(204, None)


@router.post(
    "/me/deletion",
    auth=SIGNED_IN,
    response={202: DeletionOut, 400: Error, 403: Error, 429: Error},
)
def request_deletion(request: HttpRequest, payload: DeletionIn) -> Any:
    """Close your account: signed out everywhere now, erased after the grace period.
    `mode`: `remove` your posts and questions, or `anonymise` them (kept as a former member).
    Wrong passwords are counted: 429 after a few."""
    due = deletion.request_deletion(actor(request), password=payload.password, mode=payload.mode)
    return Status(202, {"deletion_due_at": due.isoformat()})


@router.delete("/me/deletion", auth=SIGNED_IN, response=DeletionOut)
def cancel_deletion(request: HttpRequest) -> Any:
    deletion.cancel_deletion(actor(request))
    return {"deletion_due_at": None}


@router.get("/users/{handle}", response={200: ProfileOut, 404: Error})
def get_user(request: HttpRequest, handle: str) -> Any:
    return _profile(queries.get_person(handle))


@router.get("/users/{handle}/followers", response={200: list[PersonBrief], 404: Error})
def followers(request: HttpRequest, handle: str) -> Any:
    return [person_data(u) for u in queries.followers_of(queries.get_person(handle))]


@router.get("/users/{handle}/following", response={200: list[PersonBrief], 404: Error})
def following(request: HttpRequest, handle: str) -> Any:
    return [person_data(u) for u in queries.following_of(queries.get_person(handle))]


_TIE_ANSWERS: dict[int, Any] = {200: TiesOut, 400: Error, 403: Error, 404: Error, 429: Error}


def _ties(request: HttpRequest, person: User) -> dict[str, Any]:
    found = queries.ties(actor(request), person)
    return {
        "handle": person.username,
        "following": found.following,
        "followed_by": found.followed_by,
        "muting": found.muting,
        "blocking": found.blocking,
    }


@router.get("/users/{handle}/ties", auth=SIGNED_IN, response={200: TiesOut, 404: Error})
def ties(request: HttpRequest, handle: str) -> Any:
    """How you stand with this person (only you see whom you mute or block)."""
    return _ties(request, queries.get_person(handle))


@router.put("/users/{handle}/follow", auth=SIGNED_IN, response=_TIE_ANSWERS)
def follow(request: HttpRequest, handle: str) -> Any:
    return _ties(request, actions.follow(actor(request), handle))


@router.delete("/users/{handle}/follow", auth=SIGNED_IN, response=_TIE_ANSWERS)
def unfollow(request: HttpRequest, handle: str) -> Any:
    return _ties(request, actions.unfollow(actor(request), handle))


@router.put("/users/{handle}/mute", auth=SIGNED_IN, response=_TIE_ANSWERS)
def mute(request: HttpRequest, handle: str) -> Any:
    return _ties(request, actions.mute(actor(request), handle))


@router.delete("/users/{handle}/mute", auth=SIGNED_IN, response=_TIE_ANSWERS)
def unmute(request: HttpRequest, handle: str) -> Any:
    return _ties(request, actions.unmute(actor(request), handle))


@router.put("/users/{handle}/block", auth=SIGNED_IN, response=_TIE_ANSWERS)
def block(request: HttpRequest, handle: str) -> Any:
    return _ties(request, actions.block(actor(request), handle))


@router.delete("/users/{handle}/block", auth=SIGNED_IN, response=_TIE_ANSWERS)
def unblock(request: HttpRequest, handle: str) -> Any:
    return _ties(request, actions.unblock(actor(request), handle))
