"""Events, rooms and sessions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from backchannel.errors import NotAllowed
from backchannel.events import actions, permissions, queries, seats
from backchannel.events.presenters import event_data, session_data

from .auth import SIGNED_IN, actor, viewer
from .schemas import (
    Error,
    EventIn,
    EventOut,
    EventSummary,
    Id,
    JoinIn,
    JoinOut,
    RoomIn,
    RoomOut,
    SessionIn,
    SessionOut,
)

router = Router(tags=["events"])


@router.get("/events", response=list[EventSummary])
def list_events(request: HttpRequest) -> Any:
    """Public events, and the events you are part of."""
    events = queries.listed_events() | queries.events_of(viewer(request))
    return events.distinct()


@router.post("/events", auth=SIGNED_IN, response={201: EventOut, 400: Error, 403: Error})
def create_event(request: HttpRequest, payload: EventIn) -> Any:
    event = actions.create_event(actor(request), **payload.dict())
    return Status(201, event_data(event))


@router.get("/events/{slug}", response={200: EventOut, 404: Error})
def get_event(request: HttpRequest, slug: str) -> Any:
    return event_data(queries.get_event_for(viewer(request), slug))


@router.post(
    "/events/{slug}/join",
    auth=SIGNED_IN,
    response={200: JoinOut, 400: Error, 403: Error, 404: Error, 429: Error},
)
def join_event(request: HttpRequest, slug: str, payload: JoinIn) -> Any:
    # Join-code events are hidden from non-members, so look them up without the view check.
    event = queries.get_event_by_slug(slug)
    registration = actions.join_event(
        actor(request),
        event,
        code=payload.code,
        accept_code_of_conduct=payload.accept_code_of_conduct,
    )
    return {"event": event.slug, "role": registration.role}


@router.post(
    "/events/{slug}/rooms", auth=SIGNED_IN, response={201: RoomOut, 400: Error, 403: Error}
)
def create_room(request: HttpRequest, slug: str, payload: RoomIn) -> Any:
    event = queries.get_event_for(actor(request), slug)
    room = actions.create_room(actor(request), event, name=payload.name, capacity=payload.capacity)
    return Status(201, {"id": room.pk, "name": room.name, "capacity": room.capacity})


@router.post(
    "/events/{slug}/sessions",
    auth=SIGNED_IN,
    response={201: SessionOut, 400: Error, 403: Error, 404: Error},
)
def create_session(request: HttpRequest, slug: str, payload: SessionIn) -> Any:
    event = queries.get_event_for(actor(request), slug)
    session = actions.create_session(actor(request), event, **payload.dict())
    return Status(201, session_data(session))


@router.get("/sessions/{session_id}", response={200: SessionOut, 404: Error})
def get_session(request: HttpRequest, session_id: Id) -> Any:
    return session_data(queries.get_session_for(viewer(request), session_id))


@router.put(
    "/sessions/{session_id}",
    auth=SIGNED_IN,
    response={200: SessionOut, 400: Error, 403: Error, 404: Error},
)
def update_session(request: HttpRequest, session_id: Id, payload: SessionIn) -> Any:
    session = queries.get_session_for(actor(request), session_id)
    session = actions.update_session(actor(request), session, **payload.dict())
    return session_data(session)


# --- Tweet Seats -------------------------------------------------------------------------------


class SeatBlockIn(Schema):
    label: str = Field(..., max_length=200)
    capacity: int = Field(..., ge=1, le=500)


class SeatBlockOut(Schema):
    id: int
    label: str
    capacity: int
    free: int
    waitlisted: int


class MySeat(Schema):
    id: int
    block_id: int
    status: str


class SeatsOut(Schema):
    blocks: list[SeatBlockOut]
    mine: MySeat | None


class ReservationOut(Schema):
    id: int
    block_id: int
    handle: str
    status: str = Field(description="reserved or waitlisted.")
    checked_in: bool


def _block_out(state: seats.BlockState) -> dict[str, Any]:
    return {
        "id": state.block.pk,
        "label": state.block.label,
        "capacity": state.block.capacity,
        "free": state.free,
        "waitlisted": state.waitlisted,
    }


def _reservation_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "block_id": row.block_id,
        "handle": row.user.username,
        "status": row.status,
        "checked_in": row.checked_in_at is not None,
    }


@router.get("/sessions/{session_id}/seats", response={200: SeatsOut, 404: Error})
def list_seats(request: HttpRequest, session_id: Id) -> Any:
    """The session's Tweet Seat blocks, what is free, and your own reservation."""
    user = viewer(request)
    session = queries.get_session_for(user, session_id)
    mine = seats.reservation_of(user, session)
    return {
        "blocks": [_block_out(s) for s in seats.blocks(session)],
        "mine": {"id": mine.pk, "block_id": mine.block_id, "status": mine.status} if mine else None,
    }


@router.post(
    "/sessions/{session_id}/seats",
    auth=SIGNED_IN,
    response={201: SeatBlockOut, 400: Error, 403: Error, 404: Error},
)
def create_seat_block(request: HttpRequest, session_id: Id, payload: SeatBlockIn) -> Any:
    """Organisers: a block of seats in a plenary, e.g. "Front left, rows 1 to 3"."""
    session = queries.get_session_for(actor(request), session_id)
    block = seats.create_block(actor(request), session, **payload.dict())
    return Status(201, _block_out(seats.BlockState(block, 0, 0)))


@router.post(
    "/seat-blocks/{block_id}/reservations",
    auth=SIGNED_IN,
    response={201: ReservationOut, 202: ReservationOut, 403: Error, 404: Error, 409: Error},
)
def reserve_seat(request: HttpRequest, block_id: Id) -> Any:
    """A seat (`201`, reserved) or a place on the waitlist (`202`, waitlisted); one per person
    per session. The waitlist moves up by itself when someone cancels."""
    row = seats.reserve(actor(request), seats.get_block_for(actor(request), block_id))
    status = 201 if row.status == "reserved" else 202
    return Status(status, _reservation_out(row))


@router.delete(
    "/reservations/{reservation_id}",
    auth=SIGNED_IN,
    response={204: None, 403: Error, 404: Error},
)
def cancel_seat(request: HttpRequest, reservation_id: Id) -> Any:
    seats.cancel(actor(request), seats.get_reservation_for(actor(request), reservation_id))
    return Status(204, None)


@router.get(
    "/sessions/{session_id}/reservations",
    auth=SIGNED_IN,
    response={200: list[ReservationOut], 403: Error, 404: Error},
)
def list_reservations(request: HttpRequest, session_id: Id) -> Any:
    """Facilitators: who holds a seat or waits, to check them in."""
    session = queries.get_session_for(actor(request), session_id)
    if not permissions.can_moderate_event(actor(request), session.event):
        raise NotAllowed("Only the event's facilitators see the list.")
    return [_reservation_out(r) for r in seats.reservations(session)]


@router.post(
    "/reservations/{reservation_id}/check-in",
    auth=SIGNED_IN,
    response={200: ReservationOut, 403: Error, 404: Error, 409: Error},
)
def check_in(request: HttpRequest, reservation_id: Id) -> Any:
    row = seats.get_reservation_for(actor(request), reservation_id)
    return _reservation_out(seats.check_in(actor(request), row))
