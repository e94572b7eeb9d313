"""Pages of Q&A: a session's questions (ask, vote) and the presenter's view. Thin: forms call
the actions; live updates come over the session's stream (qa.js)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backchannel.errors import ActionError, CautionNeeded, NotAllowed, NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events import queries as event_queries
from backchannel.events.models import Session
from backchannel.qa import actions, permissions, polls, queries
from backchannel.realtime.queries import current_position
from backchannel.text import whole_number
from backchannel.web import crisis as web_crisis
from backchannel.web.people import signed_in_user


def _session(request: HttpRequest, slug: str, session_id: int) -> Session:
    session = event_queries.get_session_for(request.user, session_id)
    if session.event.slug != slug or session.is_lobby:
        raise NotFound("No such session.")
    return session


def _context(request: HttpRequest, session: Session, order: str) -> dict[str, Any]:
    position = current_position(session.topic)
    found = queries.listed(session, order=order)
    runner = permissions.can_run_questions(request.user, session)
    poll_list = polls.polls_for(request.user, session)
    return {
        "event": session.event,
        "session": session,
        "polls": poll_list,
        "answered": polls.answered_by(request.user, [p.pk for p in poll_list]),
        "can_answer": event_permissions.can_participate(request.user, session.event),
        "questions": found,
        "pending": queries.pending(session) if runner else [],
        "voted": queries.voted_by(request.user, [q.pk for q in found]),
        "now_answering": next((q for q in found if q.pk == session.now_answering_id), None),
        "order": order,
        "runner": runner,
        "can_ask": permissions.can_ask(request.user, session),
        "stream_position": position,
        "crisis": web_crisis.take(request),
    }


def questions(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = _session(request, slug, session_id)
    order = "new" if request.GET.get("order") == "new" else "top"
    context = _context(request, session, order)
    if request.GET.get("fragment") == "polls":
        return render(request, "qa/_polls.html", context)
    return render(request, "qa/questions.html", context)


def presenter(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = _session(request, slug, session_id)
    if not permissions.can_run_questions(request.user, session):
        raise NotAllowed("The presenter view is for the session's presenters and facilitators.")
    context = _context(request, session, "top")
    if request.GET.get("fragment") == "polls":
        return render(request, "qa/_polls.html", context)
    return render(request, "qa/presenter.html", context)


@login_required
@require_POST
def ask(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = _session(request, slug, session_id)
    try:
        asked = actions.ask(
            signed_in_user(request),
            session,
            body=request.POST.get("body", ""),
            anonymous=request.POST.get("anonymous") == "on",
            confirm=request.POST.get("confirm") == "1",
        )
    except CautionNeeded as exc:
        kinds = ", ".join(sorted({str(f.kind).replace("_", " ") for f in exc.findings}))
        messages.warning(request, f"{exc.message} ({kinds})")
        web_crisis.remember(request, exc.crisis_support)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        web_crisis.remember(request, asked.crisis_support)
        messages.success(
            request,
            "Your question is waiting for approval." if asked.pending else "Your question is in.",
        )
    return redirect(reverse("questions", args=[slug, session_id]))


@login_required
@require_POST
def vote(request: HttpRequest, question_id: int) -> HttpResponse:
    question = queries.get_question_for(request.user, question_id)
    try:
        actions.set_vote(signed_in_user(request), question, on=request.POST.get("on", "1") == "1")
    except ActionError as exc:
        messages.error(request, exc.message)
    session = question.session
    return redirect(reverse("questions", args=[session.event.slug, session.pk]))


@login_required
@require_POST
def create_poll(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = _session(request, slug, session_id)
    if not permissions.can_run_questions(request.user, session):
        raise NotAllowed("Only the session's presenters and facilitators run polls.")
    options = [line for line in request.POST.get("options", "").splitlines() if line.strip()]
    try:
        polls.create_poll(
            signed_in_user(request),
            session,
            question=request.POST.get("question", ""),
            kind=request.POST.get("kind", ""),
            options=options,
            hide_results=request.POST.get("hide_results") == "on",
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The poll is ready as a draft: open it when the room is.")
    return redirect(reverse("presenter_view", args=[slug, session_id]))


@login_required
@require_POST
def answer_poll(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = polls.get_poll_for(request.user, poll_id)
    rating = request.POST.get("rating", "")
    try:
        polls.answer(
            signed_in_user(request),
            poll,
            options=[
                n for o in request.POST.getlist("option") if (n := whole_number(o)) is not None
            ],
            text=request.POST.get("text", ""),
            rating=whole_number(rating, max_digits=3),
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you for answering.")
    return redirect(reverse("questions", args=[poll.session.event.slug, poll.session_id]))
