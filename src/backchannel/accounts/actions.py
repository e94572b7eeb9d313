"""Every write to accounts: sign-up, profile changes, pictures, follows, blocks, mutes,
API tokens. (Deleting an account: deletion.py; checking profile links: links.py.)"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backchannel import ratelimits
from backchannel.errors import Invalid, NotAllowed, NotFound
from backchannel.images import version_of
from backchannel.realtime.outbox import (
    revoke_credential_streams,
    revoke_streams,
    session_credential,
    token_credential,
)
from backchannel.text import clean_line, clean_text, clean_url

from . import avatars, queries
from .models import ApiToken, Avatar, Block, Follow, Mute, User, handle_validator
from .names import taken_elsewhere
from .signals import followed
from .tokens import TOKEN_PREFIX, hash_token


def _check_handle(handle: str, *, exclude_id: int | None = None) -> str:
    handle = handle.strip().lstrip("@")
    try:
        handle_validator(handle)
    except ValidationError as exc:
        raise Invalid(exc.messages[0], field="handle") from None
    taken = User.objects.filter(username__iexact=handle)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists() or taken_elsewhere(handle):
        raise Invalid("That handle is taken.", code="handle_taken", field="handle")
    return handle


def sign_up(
    *,
    handle: str,
    password: str,
    email: str = "",
    display_name: str = "",
    age_confirmed: bool | None = None,
) -> User:
    """Create an account. People confirm they are old enough (BACKCHANNEL_MINIMUM_AGE; the
    pages and any future sign-up API pass `age_confirmed`); None is for the command line and
    the demo, which make accounts for people who are not at the keyboard."""
    ratelimits.enforce("signup")  # per address: there is nobody yet to count
    if age_confirmed is False and settings.BACKCHANNEL_MINIMUM_AGE:
        raise Invalid(
            f"Backchannel is for people aged {settings.BACKCHANNEL_MINIMUM_AGE} or older.",
            code="too_young",
            field="age_confirmed",
        )
    handle = _check_handle(handle)
    display_name = clean_line(display_name, field="display_name", max_length=50)
    candidate = User(
        username=handle,
        email=email.strip(),
        display_name=display_name,
        age_confirmed_at=timezone.now() if age_confirmed else None,
    )
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="weak_password", field="password") from None
    with transaction.atomic():
        candidate.set_password(password)
        candidate.save()
    return candidate


def update_profile(
    user: User,
    *,
    display_name: str,
    bio: str,
    affiliation: str,
    disclaimer: str,
    pronouns: str | None = None,
    website: str | None = None,
    mastodon: str | None = None,
    dms_from: str | None = None,
    anonymise_in_exports: bool | None = None,
    federate_posts: bool | None = None,
) -> User:
    """Save the profile. Fields given as None keep their value (older API clients send only
    the first four)."""
    user.display_name = clean_line(display_name, field="display_name", max_length=50)
    user.bio = clean_text(bio, field="bio", max_length=300)
    fields = ["display_name", "bio", "affiliation", "disclaimer"]
    if pronouns is not None:
        user.pronouns = clean_line(pronouns, field="pronouns", max_length=40)
        fields.append("pronouns")
    for name, value in (("website", website), ("mastodon", mastodon)):
        if value is None:
            continue
        url = clean_url(value, field=name)
        if url != getattr(user, name):
            # A new address has not been checked yet.
            setattr(user, name, url)
            setattr(user, f"{name}_verified_at", None)
            fields += [name, f"{name}_verified_at"]
    if anonymise_in_exports is not None:
        user.anonymise_in_exports = bool(anonymise_in_exports)
        fields.append("anonymise_in_exports")
    if federate_posts is not None:
        user.federate_posts = bool(federate_posts)
        fields.append("federate_posts")
    if dms_from is not None:
        if dms_from not in User.DirectMessages.values:
            raise Invalid("Choose who may send you direct messages.", field="dms_from")
        user.dms_from = dms_from
        fields.append("dms_from")
    affiliation = clean_line(affiliation, field="affiliation", max_length=100)
    disclaimer = clean_line(disclaimer, field="disclaimer", max_length=100)
    # Posting under an organisation: its name and its policy's disclaimer are shown, and only
    # stopping posting under it (orgs.actions.set_affiliation) changes them.
    if user.organisation_id is not None and (affiliation, disclaimer) != (
        user.affiliation,
        user.disclaimer,
    ):
        raise Invalid(
            "You post as a member of an organisation: your affiliation and disclaimer come "
            "from its policy. Stop posting under it to change them.",
            field="affiliation",
        )
    user.affiliation, user.disclaimer = affiliation, disclaimer
    user.save(update_fields=fields)
    return user


# --- Pictures ---------------------------------------------------------------------------------


def set_avatar(user: User, data: bytes) -> User:
    """Replace the person's picture with `data` (an image file), resized and stripped."""
    image = avatars.prepare(data)
    with transaction.atomic():
        Avatar.objects.update_or_create(user=user, defaults={"image": image})
        version = version_of(image)
        User.objects.filter(pk=user.pk).update(avatar_version=version)
    user.avatar_version = version
    return user


def remove_avatar(user: User) -> User:
    with transaction.atomic():
        Avatar.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(avatar_version=0)
    user.avatar_version = 0
    return user


# --- Follows, blocks, mutes -----------------------------------------------------------------


def _other(actor: User, handle: str) -> User:
    person = queries.get_person(handle)
    if person.pk == actor.pk:
        raise Invalid("That is you.", code="self")
    return person


def follow(actor: User, handle: str) -> User:
    """Follow a person (idempotent). Not possible while either has blocked the other."""
    ratelimits.enforce("follow", user=actor)
    person = _other(actor, handle)
    if queries.blocked_between(actor, person):
        raise NotAllowed("You cannot follow this person.", code="blocked")
    try:
        with transaction.atomic():
            Follow.objects.create(follower=actor, followee=person)
            followed.send(sender=User, follower=actor, followee=person)
    except IntegrityError:
        pass  # already following
    return person


def unfollow(actor: User, handle: str) -> User:
    person = _other(actor, handle)
    Follow.objects.filter(follower=actor, followee=person).delete()
    return person


def block(actor: User, handle: str) -> User:
    """Block a person: follows between you end, they cannot follow or message you, and
    nothing they do notifies you. They are not told."""
    person = _other(actor, handle)
    with transaction.atomic():
        Block.objects.get_or_create(blocker=actor, blocked=person)
        Follow.objects.filter(
            Q(follower=actor, followee=person) | Q(follower=person, followee=actor)
        ).delete()
    return person


def unblock(actor: User, handle: str) -> User:
    person = _other(actor, handle)
    Block.objects.filter(blocker=actor, blocked=person).delete()
    return person


def mute(actor: User, handle: str) -> User:
    """Mute a person: their posts leave your feeds and they do not notify you. They are not
    told, and can still message you (block for that)."""
    person = _other(actor, handle)
    Mute.objects.get_or_create(muter=actor, muted=person)
    return person


def unmute(actor: User, handle: str) -> User:
    person = _other(actor, handle)
    Mute.objects.filter(muter=actor, muted=person).delete()
    return person


def create_api_token(user: User, *, name: str = "cli") -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret, which is not stored and cannot be shown again."""
    ratelimits.enforce("token", user=user)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=clean_line(name, field="name", max_length=100) or "token",
        key_hash=hash_token(raw),
        prefix=raw[:12],
    )
    return token, raw


def create_api_token_for_handle(handle: str, *, name: str = "cli") -> tuple[ApiToken, str]:
    user = User.objects.filter(username__iexact=handle.lstrip("@")).first()
    if user is None:
        raise NotFound(f"No user @{handle.lstrip('@')}.")
    return create_api_token(user, name=name)


def require_password(
    user: User, password: Any, *, field: str = "password", wrong: str = "That is not your password."
) -> None:
    """The person's own password, before a change that could take over or end the account.
    Wrong ones are counted as guesses: after a few, every attempt is refused for a while
    (429), even with the right password."""
    with ratelimits.guessing("password", str(user.pk), wrong="password"):
        if not isinstance(password, str) or not user.check_password(password):
            raise NotAllowed(wrong, code="password", field=field)


def change_password(user: User, *, current: str, new: str) -> User:
    """Change one's password: the current one first, a new one that passes the password
    rules. Every other session ends (they were signed with the old password's hash) and every
    open stream closes; the caller keeps its own session."""
    require_password(user, current, field="current", wrong="That is not your current password.")
    return set_password(user, new, field="new")


def set_password(user: User, new: str, *, field: str = "password") -> User:
    """A new password (after checking the current one, or from a reset link): sessions signed
    with the old one end, and the person's open streams close, in every process."""
    try:
        validate_password(new or "", user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="weak_password", field=field) from None
    with transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])
        revoke_streams(user.pk, None)
    return user


def set_email(user: User, *, password: str, email: str) -> User:
    """The address password-reset links go to (never shown to anyone). Changing it needs the
    password: whoever controls it can take the account."""
    require_password(user, password)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid("Enter a valid e-mail address.", field="email") from None
        if len(email) > 254:
            raise Invalid("Enter a valid e-mail address.", field="email")
    user.email = email
    user.save(update_fields=["email"])
    return user


def revoke_api_token(user: User, token_id: int) -> None:
    """Delete the token; the streams it opened close at once, in every process."""
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
        if not deleted:
            raise NotFound("No such token.")
        revoke_credential_streams(token_credential(token_id))


def end_streams_of_session(session_key: str | None) -> None:
    """Signing out: the streams this browser session opened close at once (its other tabs'
    too), in every process. Connected to Django's user_logged_out (accounts/apps.py)."""
    if session_key:
        revoke_credential_streams(session_credential(session_key))
