"""API bearer tokens: hashing and lookup (reads only; writes live in actions)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import cache

from django.utils import timezone

from backchannel.db import plain
from backchannel.db.rowcache import RowCache

from .models import ApiToken, User

TOKEN_PREFIX = "bch_"  # noqa: S105 (a marker, not a secret)
# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)

# A token's row with its person's, by the token's hash: read on every API request, changed
# rarely (db/rowcache.py clears it when a token or a person changes, in every process).
_ROWS = RowCache("tokens", [ApiToken, User])


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def user_for_token(raw: str) -> User | None:
    token = token_for(raw)
    return token.user if token is not None else None


def token_for(raw: str) -> ApiToken | None:
    """The live token (with its user) for a raw bearer value, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    # Plain SQL (db/plain.py): this runs on every API request, and the ORM's building of the
    # statement cost more than the database's answer.
    token_columns, user_columns = plain.columns(ApiToken, "t"), plain.columns(User, "u")
    key = hash_token(raw)
    row = _ROWS.get(key, lambda: _read_token(key))
    if row is None:
        return None
    token = token_columns.built(row)
    token.user = user_columns.built(row, token_columns.width)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        # Through the base manager: when a token was last used is not a change the caches
        # need to hear of; only this process's row is re-read, to see the new time.
        ApiToken._base_manager.filter(pk=token.pk).update(last_used_at=now)
        _ROWS.discard(key)
    return token


def _read_token(key: str) -> tuple[object, ...] | None:
    row = plain.fetch_one(_token_sql(), [key])
    columns = (plain.columns(ApiToken, "t"), plain.columns(User, "u"))
    return plain.converted(row, *columns) if row is not None else None


@cache
def _token_sql() -> str:
    q = plain.quote
    return (
        f"SELECT {plain.columns(ApiToken, 't').sql}, {plain.columns(User, 'u').sql} "  # noqa: S608
        f"FROM {plain.table(ApiToken)} t "
        f"JOIN {plain.table(User)} u ON u.{q('id')} = t.{q('user_id')} "
        f"WHERE t.{q('key_hash')} = %s AND u.{q('is_active')}"
    )


def bearer_from_header(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()
