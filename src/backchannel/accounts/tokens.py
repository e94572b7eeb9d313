"""API bearer tokens: hashing and lookup (reads only; writes live in actions)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone

from .models import ApiToken, User

TOKEN_PREFIX = "bch_"  # noqa: S105 (a marker, not a secret)
# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def user_for_token(raw: str) -> User | None:
    token = token_for(raw)
    return token.user if token is not None else None


def token_for(raw: str) -> ApiToken | None:
    """The live token (with its user) for a raw bearer value, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    # get(), not first(): key_hash is unique, and first()'s ORDER BY costs a third of the time
    # of this query, which runs on every API request.
    try:
        token = ApiToken.objects.select_related("user").get(
            key_hash=hash_token(raw), user__is_active=True
        )
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def bearer_from_header(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()
