"""Pages for events: the schedule, joining, and the organiser's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from backchannel.errors import ActionError, NotAllowed, NotFound, RateLimited
from backchannel.events import actions, permissions, queries, seats
from backchannel.events.forms import (
    EditEventForm,
    EventForm,
    JoinByCodeForm,
    JoinForm,
    RoomForm,
    SessionForm,
)
from backchannel.events.models import Event, EventImage, Session
from backchannel.federation import actors as federation_actors
from backchannel.federation import discovery
from backchannel.federation import permissions as federation_permissions
from backchannel.richtext import render_markdown
from backchannel.text import whole_number
from backchannel.wall import queries as wall_queries
from backchannel.web.activity import negotiated
from backchannel.web.forms import show_action_error
from backchannel.web.people import signed_in_user

DEFAULT_ACCENT = "#0f5c63"  # Backchannel's teal (site.css), until an event picks its own


def _manageable(request: HttpRequest, slug: str) -> Event:
    event = queries.get_event_for(request.user, slug)
    if not permissions.can_manage_event(request.user, event):
        raise NotAllowed("Only the event's organisers can do that.")
    return event


@login_required
@require_http_methods(["GET", "POST"])
def create_event(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_event(request.user):
        raise NotAllowed("Only staff can create events on this site.")
    form = EventForm(request.POST or None, initial={"access": Event.Access.PUBLIC})
    _federation_switch(form)
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.create_event(signed_in_user(request), **form.cleaned_data)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, "Your event is ready. Add rooms and sessions next.")
            return redirect("manage_event", event.slug)
    return render(request, "events/event_form.html", {"form": form, "creating": True})


def join_code_page(request: HttpRequest, event: Event) -> HttpResponse:
    """What any page of a join-code event shows someone who may not read it yet (a QR code on
    the wall leads here too): the code form, then back to the page they asked for. Until they
    join, the event is only its address: its name, venue and feeds are not shown (the API
    answers 404 alike); its code of conduct is, because joining means accepting it."""
    return render(
        request,
        "events/join_with_code.html",
        {
            "event": event,
            "form": JoinForm(),
            "code_of_conduct": render_markdown(event.code_of_conduct),
            "next": request.get_full_path(),
        },
        status=403,
    )


def join_card(request: HttpRequest, slug: str, session_id: int | None = None) -> HttpResponse:
    """A card to print for tables and doors: the event (or one session), a large QR code, the
    event code to type and the address, and the reminder to think before posting."""
    event = queries.get_event_for(request.user, slug)
    session = None
    if session_id is not None:
        session = queries.get_session_for(request.user, session_id)
        if session.event_id != event.pk:
            raise NotFound("No such session.")
        target = (
            reverse("lobby", args=[event.slug])
            if session.is_lobby
            else reverse("session", args=[event.slug, session.pk])
        )
    else:
        target = reverse("event", args=[event.slug])
    url = request.build_absolute_uri(target)
    return render(
        request,
        "events/join_card.html",
        {
            "event": event,
            "session": session,
            "url": url,
            "home": request.build_absolute_uri("/"),
            "host": request.get_host(),
            "qr_svg": wall_queries.join_qr_svg(url),
            "sessions": queries.scheduled_sessions(event) if session is None else [],
        },
    )


@negotiated(lambda slug: discovery.event_named(slug))
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    # A join-code event the visitor may not read yet: join_code_page (web/middleware.py).
    event = queries.get_event_for(request.user, slug)
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "schedule": queries.schedule(event),
            "lobby": queries.lobby_of(event),
            "registration": queries.registration_of(request.user, event),
            "can_manage": permissions.can_manage_event(request.user, event),
            "can_moderate": permissions.can_moderate_event(request.user, event),
            "code_of_conduct": render_markdown(event.code_of_conduct),
            "owes_conduct": permissions.owes_code_of_conduct(request.user, event),
            "join_form": JoinForm(),
            "today": timezone.now().astimezone(event.tz).date(),
            "runs": queries.sessions_run_by(request.user, event),
            "fediverse_handle": (
                f"@{event.slug}@{federation_actors.host()}"
                if federation_permissions.event_federates(event)
                else ""
            ),
        },
    )


@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        back = _next_or(request, reverse("event", args=[slug]))
        return redirect(f"{reverse('login')}?{urlencode({'next': back})}")
    event = queries.get_event_by_slug(slug)
    form = JoinForm(request.POST)
    valid = form.is_valid()
    code = form.cleaned_data["code"] if valid else ""
    accepted = bool(form.cleaned_data.get("accept_code_of_conduct")) if valid else False
    try:
        actions.join_event(request.user, event, code=code, accept_code_of_conduct=accepted)
    except RateLimited:
        raise  # the 429 page, with Retry-After
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You joined {event.name}.")
    return redirect(_next_or(request, reverse("event", args=[event.slug])))


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@login_required
@require_POST
def accept_conduct(request: HttpRequest, slug: str) -> HttpResponse:
    event = queries.get_event_for(request.user, slug)
    try:
        actions.accept_code_of_conduct(signed_in_user(request), event)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you. You can post now.")
    return redirect(_next_or(request, reverse("event", args=[event.slug])))


@require_http_methods(["GET", "POST"])
def join_by_code(request: HttpRequest) -> HttpResponse:
    form = JoinByCodeForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        event = queries.find_typed_event(form.cleaned_data["event"])
        if event is None:
            form.add_error(
                "event", "There is no event with that code or address. Check it and try again."
            )
        elif not request.user.is_authenticated:
            # Reading needs no account: a public event opens; a join-code one asks for its
            # code once its visitor signs in (join_code_page).
            if event.is_public:
                messages.info(
                    request,
                    f"Anyone can read {event.name}. Sign in or create an account to post, ask "
                    "questions, vote and answer polls.",
                )
            return redirect("event", event.slug)
        elif event.code_of_conduct:
            # Accepting means having read it: the event's page shows it beside the join form.
            messages.info(request, "Read the event's code of conduct, then join.")
            return redirect("event", event.slug)
        else:
            try:
                actions.join_event(request.user, event, code=form.cleaned_data["code"])
            except RateLimited:
                raise
            except ActionError as exc:
                show_action_error(form, exc)
            else:
                return redirect("event", event.slug)
    return render(request, "events/join.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manageable(request, slug)
    form = EditEventForm(
        request.POST or None, initial=EditEventForm.initial_for(event, DEFAULT_ACCENT)
    )
    _federation_switch(form)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_event(signed_in_user(request), event, **form.cleaned_data)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, "The event is saved.")
            return redirect("manage_event", event.slug)
    status = 400 if request.method == "POST" else 200  # bad input: shown again, nothing saved
    return render(request, "events/manage.html", _manage_context(event, form=form), status=status)


@login_required
@require_POST
def set_brand_image(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Upload (or with `remove`, take away) the event's logo or cover."""
    event = _manageable(request, slug)
    actor = signed_in_user(request)
    try:
        if request.POST.get("remove"):
            actions.remove_event_image(actor, event, kind)
            messages.success(request, f"The {kind} is removed.")
        else:
            upload = request.FILES.get("image")
            actions.set_event_image(actor, event, kind, upload.read() if upload else b"")
            messages.success(request, f"The new {kind} is in place.")
    except RateLimited:
        raise
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("manage_event", args=[event.slug]) + "#branding")


def brand_image(request: HttpRequest, slug: str, kind: str, version: int) -> HttpResponse:
    """The event's logo or cover; its address changes with every upload (cached for a year)."""
    event = queries.get_event_for(request.user, slug)
    if kind not in EventImage.Kind.values or getattr(event, f"{kind}_version") != version:
        raise NotFound("No such picture.")
    response = HttpResponse(queries.event_image(event, kind), content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _federation_switch(form: EventForm) -> None:
    """While the site cannot federate, the switch says why and keeps its value."""
    reason = federation_permissions.unavailable_because()
    if reason is not None:
        form.fields["federates"].disabled = True
        form.fields["federates"].help_text = f"Unavailable: {reason}"


def _manage_context(event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event,
        "brand_images": [
            (
                "logo",
                "Logo",
                event.logo_url,
                "JPEG, PNG, WebP or GIF, up to 5 MB; shown up to "
                "600 pixels wide. A transparent PNG looks best on the wall.",
            ),
            (
                "cover",
                "Cover picture",
                event.cover_url,
                "JPEG, PNG, WebP or GIF, up to 5 MB; a "
                "wide picture, shown across the top of the event's page.",
            ),
        ],
        "rooms": event.rooms.all(),
        "sessions": queries.scheduled_sessions(event),
        # Its own prefix: the event form beside it has a "name" field too (one id each).
        "room_form": extra.pop("room_form", RoomForm(prefix="room")),
        **extra,
    }


@login_required
@require_POST
def add_room(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manageable(request, slug)
    form = RoomForm(request.POST, prefix="room")
    if form.is_valid():
        try:
            actions.create_room(signed_in_user(request), event, **form.cleaned_data)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, f"Room “{form.cleaned_data['name']}” added.")
            return redirect("manage_event", event.slug)
    edit_form = EditEventForm(initial=EditEventForm.initial_for(event, DEFAULT_ACCENT))
    _federation_switch(edit_form)
    return render(
        request,
        "events/manage.html",
        _manage_context(event, form=edit_form, room_form=form),
        status=400,
    )


def _session_form_page(request: HttpRequest, event: Event, session: Session | None) -> HttpResponse:
    rooms = list(event.rooms.all())
    # Times on the form are the event's local times.
    with timezone.override(event.tz):
        initial = {}
        if session is not None:
            initial = {
                "title": session.title,
                "kind": session.kind,
                "starts_at": timezone.localtime(session.starts_at) if session.starts_at else None,
                "ends_at": timezone.localtime(session.ends_at) if session.ends_at else None,
                "room_id": session.room_id,
                "hashtag": session.hashtag,
                "presenters": " ".join(f"@{p.username}" for p in session.presenters.all()),
                "abstract": session.abstract,
                "recording_url": session.recording_url,
            }
        form = SessionForm(request.POST or None, initial=initial, rooms=rooms)
        if request.method == "POST" and form.is_valid():
            try:
                if session is None:
                    session = actions.create_session(
                        signed_in_user(request), event, **form.cleaned_data
                    )
                else:
                    actions.update_session(signed_in_user(request), session, **form.cleaned_data)
            except ActionError as exc:
                show_action_error(form, exc)
            else:
                messages.success(request, f"“{session.title}” is saved.")
                return redirect("manage_event", event.slug)
        return render(
            request,
            "events/session_form.html",
            {"event": event, "form": form, "session": session},
            status=400 if form.errors else 200,
        )


@login_required
@require_http_methods(["GET", "POST"])
def create_session(request: HttpRequest, slug: str) -> HttpResponse:
    return _session_form_page(request, _manageable(request, slug), None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_session(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _manageable(request, slug)
    session = queries.scheduled_sessions(event).filter(pk=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    return _session_form_page(request, event, session)


# --- Tweet Seats -------------------------------------------------------------------------------


def seats_page(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = queries.get_session_for(request.user, session_id)
    if session.event.slug != slug:
        raise NotFound("No such session.")
    can_moderate = permissions.can_moderate_event(request.user, session.event)
    return render(
        request,
        "events/seats.html",
        {
            "event": session.event,
            "session": session,
            "blocks": seats.blocks(session),
            "mine": seats.reservation_of(request.user, session),
            "can_reserve": permissions.can_participate(request.user, session.event),
            "can_manage": permissions.can_manage_event(request.user, session.event),
            "can_moderate": can_moderate,
            "reservations": seats.reservations(session) if can_moderate else [],
        },
    )


def _seats_url(session: Session) -> str:
    return reverse("seats", args=[session.event.slug, session.pk])


@login_required
@require_POST
def add_seat_block(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = queries.get_session_for(request.user, session_id)
    if not permissions.can_manage_event(request.user, session.event):
        raise NotAllowed("Only the event's organisers set up Tweet Seats.")
    capacity = whole_number(request.POST.get("capacity", ""), max_digits=5)
    try:
        seats.create_block(
            signed_in_user(request),
            session,
            label=request.POST.get("label", ""),
            capacity=-1 if capacity is None else capacity,  # the action says what is wrong
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect(_seats_url(session))


@login_required
@require_POST
def reserve_seat(request: HttpRequest, block_id: int) -> HttpResponse:
    block = seats.get_block_for(request.user, block_id)
    try:
        row = seats.reserve(signed_in_user(request), block)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Your Tweet Seat: {block.label}."
            if row.status == "reserved"
            else "The block is full: you are on its waitlist, and move up by yourself.",
        )
    return redirect(_seats_url(block.session))


@login_required
@require_POST
def cancel_seat(request: HttpRequest, reservation_id: int) -> HttpResponse:
    row = seats.get_reservation_for(request.user, reservation_id)
    seats.cancel(signed_in_user(request), row)
    messages.success(request, "Cancelled.")
    return redirect(_seats_url(row.session))


@login_required
@require_POST
def check_in_seat(request: HttpRequest, reservation_id: int) -> HttpResponse:
    row = seats.get_reservation_for(request.user, reservation_id)
    seats.check_in(signed_in_user(request), row)
    return redirect(_seats_url(row.session))
