"""Tweet Seats: blocks of seats in plenaries reserved for people who live-post. Reserving is
first come, first served, with a waitlist that moves up by itself when someone cancels; no
block is ever overbooked, however many people press at once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from backchannel.accounts.models import Reader, User
from backchannel.db import plain
from backchannel.errors import Conflict, Invalid, NotAllowed, NotFound
from backchannel.realtime.outbox import record_event
from backchannel.text import clean_line

from . import permissions
from .models import SeatBlock, SeatReservation, Session

Status = SeatReservation.Status
ACTIVE = [Status.RESERVED, Status.WAITLISTED]


@dataclass
class BlockState:
    block: SeatBlock
    reserved: int
    waitlisted: int

    @property
    def free(self) -> int:
        return max(0, self.block.capacity - self.reserved)


def blocks(session: Session) -> list[BlockState]:
    rows = SeatBlock.objects.filter(session=session).annotate(
        reserved=Count("reservations", filter=Q(reservations__status=Status.RESERVED)),
        waitlisted=Count("reservations", filter=Q(reservations__status=Status.WAITLISTED)),
    )
    return [BlockState(b, b.reserved, b.waitlisted) for b in rows.order_by("id")]


def reservation_of(user: Reader, session: Session) -> SeatReservation | None:
    if not user.is_authenticated:
        return None
    return (
        SeatReservation.objects.select_related("block")
        .filter(session=session, user=user, status__in=ACTIVE)
        .first()
    )


def reservations(session: Session) -> list[SeatReservation]:
    return list(
        SeatReservation.objects.filter(session=session, status__in=ACTIVE)
        .select_related("user", "block")
        .order_by("block_id", "status", "created_at", "id")
    )


def has_reserved_seat(user: User, session: Session) -> bool:
    """For the badge beside posts (asked only in sessions that have seats; on the post path,
    so in plain SQL: db/plain.py)."""
    return plain.fetch_one(_reserved_seat_sql(), [session.pk, user.pk, Status.RESERVED]) is not None


@cache
def _reserved_seat_sql() -> str:
    q = plain.quote
    return (
        f"SELECT 1 FROM {plain.table(SeatReservation)} "  # noqa: S608
        f"WHERE {q('session_id')} = %s AND {q('user_id')} = %s AND {q('status')} = %s LIMIT 1"
    )


def get_block_for(user: Reader, block_id: int) -> SeatBlock:
    block = SeatBlock.objects.select_related("session__event").filter(pk=block_id).first()
    if block is None or not permissions.can_view_event(user, block.session.event):
        raise NotFound("No such seat block.")
    return block


def get_reservation_for(user: Reader, reservation_id: int) -> SeatReservation:
    row = (
        SeatReservation.objects.select_related("block", "session__event", "user")
        .filter(pk=reservation_id)
        .first()
    )
    if row is None or not permissions.can_view_event(user, row.session.event):
        raise NotFound("No such reservation.")
    if row.user_id != user.pk and not permissions.can_moderate_event(user, row.session.event):
        raise NotFound("No such reservation.")
    return row


def _announce(session: Session) -> None:
    record_event(
        session.topic,
        "seats.updated",
        {
            "blocks": [
                {"id": s.block.pk, "free": s.free, "waitlisted": s.waitlisted}
                for s in blocks(session)
            ]
        },
    )


def create_block(actor: User, session: Session, *, label: Any, capacity: Any) -> SeatBlock:
    if not permissions.can_manage_event(actor, session.event):
        raise NotAllowed("Only the event's organisers set up Tweet Seats.")
    if session.kind != Session.Kind.PLENARY:
        raise Invalid("Tweet Seats are for plenary sessions.", code="not_plenary")
    label = clean_line(label, field="label", max_length=100, required=True)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 500:
        raise Invalid("Capacity is 1 to 500 seats.", field="capacity")
    with transaction.atomic():
        block = SeatBlock.objects.create(session=session, label=label, capacity=capacity)
        Session.objects.filter(pk=session.pk).update(tweet_seats=True)
        session.tweet_seats = True
        _announce(session)
    return block


def _lock(block: SeatBlock) -> None:
    """Serialise reservations of one block: on PostgreSQL a row lock on the block; on SQLite
    write transactions already run one at a time."""
    SeatBlock.objects.select_for_update().filter(pk=block.pk).first()


def reserve(actor: User, block: SeatBlock) -> SeatReservation:
    """A seat if one is free, else a place on the waitlist. One per person per session."""
    session = block.session
    if not permissions.can_participate(actor, session.event):
        raise NotAllowed("Join this event to reserve a Tweet Seat.", code="not_a_member")
    try:
        with transaction.atomic():
            _lock(block)
            taken = SeatReservation.objects.filter(block=block, status=Status.RESERVED).count()
            row = SeatReservation.objects.create(
                block=block,
                session=session,
                user=actor,
                status=Status.RESERVED if taken < block.capacity else Status.WAITLISTED,
            )
            _announce(session)
    except IntegrityError:
        raise Conflict(
            "You already have a Tweet Seat (or a place on a waitlist) in this session.",
            code="already_reserved",
        ) from None
    return row


def cancel(actor: User, row: SeatReservation) -> SeatReservation | None:
    """Give the seat (or the waitlist place) back; the first on the block's waitlist gets the
    seat. Returns the reservation that moved up, if any."""
    if row.user_id != actor.pk and not permissions.can_moderate_event(actor, row.session.event):
        raise NotAllowed("You can only cancel your own reservation.")
    if row.status == Status.CANCELLED:
        return None
    promoted = None
    with transaction.atomic():
        _lock(row.block)
        was_reserved = row.status == Status.RESERVED
        row.status = Status.CANCELLED
        row.save(update_fields=["status"])
        if was_reserved:
            promoted = (
                SeatReservation.objects.filter(block=row.block, status=Status.WAITLISTED)
                .order_by("created_at", "id")
                .first()
            )
            if promoted is not None:
                promoted.status = Status.RESERVED
                promoted.save(update_fields=["status"])
        _announce(row.session)
    return promoted


def check_in(actor: User, row: SeatReservation) -> SeatReservation:
    if not permissions.can_moderate_event(actor, row.session.event):
        raise NotAllowed("Only the event's facilitators check people in.")
    if row.status != Status.RESERVED:
        raise Conflict("Only a reserved seat can be checked in.", code="not_reserved")
    row.checked_in_at = row.checked_in_at or timezone.now()
    row.save(update_fields=["checked_in_at"])
    return row
