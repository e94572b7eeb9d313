"""Every write to accounts: sign-up, profile changes, API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from backchannel.errors import Invalid, NotFound
from backchannel.text import clean_line, clean_text

from .models import ApiToken, User, handle_validator
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
    if taken.exists():
        raise Invalid("That handle is taken.", code="handle_taken", field="handle")
    return handle


def sign_up(*, handle: str, password: str, email: str = "", display_name: str = "") -> User:
    handle = _check_handle(handle)
    display_name = clean_line(display_name, field="display_name", max_length=50)
    candidate = User(username=handle, email=email.strip(), display_name=display_name)
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
) -> User:
    user.display_name = clean_line(display_name, field="display_name", max_length=50)
    user.bio = clean_text(bio, field="bio", max_length=300)
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
    user.save(update_fields=["display_name", "bio", "affiliation", "disclaimer"])
    return user


def create_api_token(user: User, *, name: str = "cli") -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret, which is not stored and cannot be shown again."""
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


def revoke_api_token(user: User, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("No such token.")
