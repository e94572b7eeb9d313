"""Where a person stands at an event: their role, their strongest sanction in force, whether
they accepted its code of conduct. Below the permissions, which ask it on every check;
moderation writes the sanctions (moderation/actions.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from backchannel.db import plain

from .models import Registration, Sanction


def standing_at(user_id: int, event_id: int) -> tuple[str | None, str | None, bool]:
    """A person's role at an event, their strongest restriction in force (ban, suspend,
    mute), and whether they accepted its code of conduct, in one plain SQL query: every post
    asks all three, and building ORM queries cost more than running them (bench/ingest.py)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = _standing_sql()
    with connection.cursor() as cursor:
        plain.execute(cursor, sql, [event_id, user_id, event_id, user_id, event_id, user_id, now])
        row = cursor.fetchone()
    return (row[0], row[2], row[1] is not None) if row else (None, None, False)


@cache
def _standing_sql() -> str:
    quote = connection.ops.quote_name
    # Only our own table and column names go into the text; values are parameters.
    return (
        f"SELECT (SELECT r.{quote('role')} FROM {quote(Registration._meta.db_table)} r "  # noqa: S608
        f"WHERE r.{quote('event_id')} = %s AND r.{quote('user_id')} = %s), "
        f"(SELECT r.{quote('conduct_accepted_at')} FROM {quote(Registration._meta.db_table)} r "
        f"WHERE r.{quote('event_id')} = %s AND r.{quote('user_id')} = %s), "
        f"(SELECT s.{quote('kind')} FROM {quote(Sanction._meta.db_table)} s "
        f"WHERE s.{quote('event_id')} = %s AND s.{quote('user_id')} = %s "
        f"AND s.{quote('lifted_at')} IS NULL "
        f"AND (s.{quote('ends_at')} IS NULL OR s.{quote('ends_at')} > %s) "
        f"ORDER BY CASE s.{quote('kind')} WHEN 'ban' THEN 3 WHEN 'suspend' THEN 2 ELSE 1 END "
        "DESC LIMIT 1)"
    )


def shut_out_of(user_id: int) -> QuerySet[Sanction, Any]:
    """The events where this person is suspended or banned now, as a subquery of event ids."""
    return (
        Sanction.objects.filter(user_id=user_id, kind__in=["suspend", "ban"], lifted_at=None)
        .filter(Q(ends_at=None) | Q(ends_at__gt=timezone.now()))
        .values("event_id")
    )
