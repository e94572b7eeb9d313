"""Events, rooms and sessions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from backchannel.events import actions, queries
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
    response={200: JoinOut, 400: Error, 403: Error, 404: Error},
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
