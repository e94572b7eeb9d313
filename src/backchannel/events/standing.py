"""Where a person stands at an event: their role, their strongest sanction in force, whether
they accepted its code of conduct. Below the permissions, which ask it on every check;
moderation writes the sanctions (moderation/actions.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from backchannel.db import plain
from backchannel.db.rowcache import RowCache

from .models import Registration, Sanction

# A person's place at an event and the sanctions on them there, kept per process
# (db/rowcache.py): every post asks, and they change seldom. Whether a sanction is still in
# force is decided at each read, so one that ends needs no write to stop holding.
_STANDING_ROWS = RowCache("standing", [Registration, Sanction])

# The strongest restriction wins.
_STRENGTH = {Sanction.Kind.BAN: 3, Sanction.Kind.SUSPEND: 2, Sanction.Kind.MUTE: 1}


def standing_at(user_id: int, event_id: int) -> tuple[str | None, str | None, bool]:
    """A person's role at an event, their strongest restriction in force (ban, suspend,
    mute), and whether they accepted its code of conduct."""
    row = _STANDING_ROWS.get((user_id, event_id), lambda: _read_standing(user_id, event_id))
    assert row is not None  # someone with no place at the event has a row too
    role, accepted, sanctions = row
    now = timezone.now()
    in_force = [kind for kind, ends_at in sanctions if ends_at is None or ends_at > now]
    restriction = max(in_force, key=lambda kind: _STRENGTH.get(kind, 1)) if in_force else None
    return role, restriction, accepted


def _read_standing(user_id: int, event_id: int) -> tuple[Any, ...]:
    """The registration's role and whether its code of conduct was accepted, with the kind and
    end of every sanction not lifted (immutable values: the row may be kept). One statement:
    pages read it for each person and event they show, inside transactions too."""
    rows = plain.fetch_all(_standing_sql(), [event_id, user_id, event_id, user_id])
    role, accepted = rows[0][0], bool(rows[0][1])  # always one row at least: FROM (SELECT 1)
    ends = plain.converter(Sanction, "ends_at", "s")
    sanctions = tuple((kind, ends(ends_at)) for _, _, kind, ends_at in rows if kind is not None)
    return (role, accepted, sanctions)


@cache
def _standing_sql() -> str:
    q = plain.quote
    registrations, sanctions = plain.table(Registration), plain.table(Sanction)
    # Only our own table and column names go into the text; values are parameters.
    return (
        f"SELECT r.{q('role')}, r.{q('conduct_accepted_at')} IS NOT NULL, "  # noqa: S608
        f"s.{q('kind')}, s.{q('ends_at')} FROM (SELECT 1 AS one) x "
        f"LEFT JOIN {registrations} r ON r.{q('event_id')} = %s AND r.{q('user_id')} = %s "
        f"LEFT JOIN {sanctions} s ON s.{q('event_id')} = %s AND s.{q('user_id')} = %s "
        f"AND s.{q('lifted_at')} IS NULL ORDER BY s.{q('id')}"
    )


def shut_out_of(user_id: int) -> QuerySet[Sanction, Any]:
    """The events where this person is suspended or banned now, as a subquery of event ids."""
    return (
        Sanction.objects.filter(user_id=user_id, kind__in=["suspend", "ban"], lifted_at=None)
        .filter(Q(ends_at=None) | Q(ends_at__gt=timezone.now()))
        .values("event_id")
    )
