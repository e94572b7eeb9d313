"""Polls: every write (create, open, close, answer) and the results. Kept beside questions in
qa/ (DESIGN.md), in their own module because their rules are their own."""

from __future__ import annotations

import collections
import csv
import io
from dataclasses import dataclass
from typing import Any

import regex
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from backchannel.accounts.models import Reader, User
from backchannel.errors import Conflict, Invalid, NotAllowed, NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session
from backchannel.moderation.queries import word_filter_terms
from backchannel.realtime.outbox import record_event
from backchannel.spreadsheet import safe_cell
from backchannel.text import clean_line

from . import permissions
from .models import Poll, PollOption, PollResponse

Kind, Status = Poll.Kind, Poll.Status
MAX_OPTIONS = 10
WORDS_SHOWN = 40
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'\u2019-]*")


# --- Reads -----------------------------------------------------------------------------------


def polls_for(user: Reader, session: Session) -> list[Poll]:
    """Open and closed polls; drafts too for the people who run the session."""
    qs = Poll.objects.filter(session=session).prefetch_related("options")
    if not permissions.can_run_questions(user, session):
        qs = qs.exclude(status=Status.DRAFT)
    return list(qs.order_by("-id")[:50])


def open_poll(session: Session) -> Poll | None:
    """The poll open now (the latest opened), for the wall."""
    return (
        Poll.objects.filter(session=session, status=Status.OPEN)
        .prefetch_related("options")
        .order_by("-opened_at")
        .first()
    )


def answered_by(user: Reader, poll_ids: list[int]) -> set[int]:
    if not user.is_authenticated or not poll_ids:
        return set()
    return set(
        PollResponse.objects.filter(user=user, poll_id__in=poll_ids).values_list(
            "poll_id", flat=True
        )
    )


def get_poll_for(user: Reader, poll_id: int) -> Poll:
    poll = (
        Poll.objects.select_related("session__event")
        .prefetch_related("options")
        .filter(pk=poll_id)
        .first()
    )
    if poll is None or not event_permissions.can_view_event(user, poll.session.event):
        raise NotFound("No such poll.")
    if poll.status == Status.DRAFT and not permissions.can_run_questions(user, poll.session):
        raise NotFound("No such poll.")
    return poll


@dataclass
class Results:
    poll: Poll
    total: int  # people who answered
    counts: list[tuple[str, int]]  # (label, count): options, ratings 1..N, or top words
    visible: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "poll_id": self.poll.pk,
            "total": self.total,
            "visible": self.visible,
            "results": [{"label": label, "count": n} for label, n in self.counts]
            if self.visible
            else [],
        }


def results(poll: Poll, *, for_runner: bool = False) -> Results:
    """Counts per option, per rating, or per word (short answers split into words, the most
    frequent first). Hidden until closed when the poll says so, except to those who run it."""
    total = poll.responses.count()
    visible = poll.results_visible or for_runner
    counts: list[tuple[str, int]] = []
    if poll.kind in (Kind.SINGLE, Kind.MULTIPLE):
        by_option = dict(
            PollOption.objects.filter(poll=poll)
            .annotate(n=Count("responses"))
            .values_list("pk", "n")
        )
        counts = [(o.label, by_option.get(o.pk, 0)) for o in poll.options.all()]
    elif poll.kind == Kind.RATING:
        by_rating = dict(poll.responses.values_list("rating").annotate(n=Count("id")).order_by())
        counts = [(str(r), by_rating.get(r, 0)) for r in range(1, poll.scale_max + 1)]
    else:
        words: collections.Counter[str] = collections.Counter()
        for text in poll.responses.values_list("text", flat=True):
            words.update({w.lower() for w in _WORD.findall(text)})
        counts = words.most_common(WORDS_SHOWN)
    return Results(poll, total, counts, visible)


def results_csv(poll: Poll) -> str:
    """The results as CSV, safe to open in a spreadsheet: a cell that starts with = + - @ (or a
    tab or return) is prefixed with ' so it is read as text, not as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["poll", "kind", "answer", "count"])
    found = results(poll, for_runner=True)
    for label, count in found.counts:
        writer.writerow([_cell(poll.question), poll.kind, _cell(label), count])
    writer.writerow([_cell(poll.question), poll.kind, "(people who answered)", found.total])
    return out.getvalue()


def _cell(value: str) -> str:
    return str(safe_cell(value))


# --- Writes ----------------------------------------------------------------------------------


def _require_runner(actor: User, session: Session) -> None:
    if not permissions.can_run_questions(actor, session):
        raise NotAllowed("Only the session's presenters and facilitators run polls.")


def _publish(poll: Poll) -> None:
    """Everyone gets the poll's state; results go out only where they are visible (the page
    asks for them when they are hidden to everyone else)."""
    found = results(poll)
    record_event(
        poll.session.topic,
        "poll.updated",
        {
            "poll": {"id": poll.pk, "status": poll.status, "question": poll.question},
            **found.as_dict(),
        },
    )


def create_poll(
    actor: User,
    session: Session,
    *,
    question: Any,
    kind: Any,
    options: Any = (),
    hide_results: bool = False,
    scale_max: int = 5,
) -> Poll:
    _require_runner(actor, session)
    question = clean_line(question, field="question", max_length=200, required=True)
    if kind not in Kind.values:
        raise Invalid("The kind is single, multiple, words or rating.", field="kind")
    labels: list[str] = []
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        labels = [clean_line(o, field="options", max_length=100) for o in options or []]
        labels = [label for label in labels if label]
        if not 2 <= len(labels) <= MAX_OPTIONS or len(set(labels)) != len(labels):
            raise Invalid(f"Give 2 to {MAX_OPTIONS} different options.", field="options")
    if kind == Kind.RATING and not 2 <= scale_max <= 10:
        raise Invalid("A rating scale goes up to 2 to 10.", field="scale_max")
    with transaction.atomic():
        poll = Poll.objects.create(
            session=session,
            created_by=actor,
            question=question,
            kind=kind,
            hide_results=bool(hide_results),
            scale_max=scale_max,
        )
        PollOption.objects.bulk_create(
            [PollOption(poll=poll, label=label, position=i) for i, label in enumerate(labels)]
        )
    return poll


def set_status(actor: User, poll: Poll, *, status: Any) -> Poll:
    """Open a draft, close an open poll (results then show to everyone), or reopen it."""
    _require_runner(actor, poll.session)
    allowed = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.OPEN},
    }
    if status not in allowed[Status(poll.status)]:
        raise Conflict(f"A {poll.status} poll cannot become {status}.", code="bad_transition")
    with transaction.atomic():
        poll.status = status
        now = timezone.now()
        if status == Status.OPEN:
            poll.opened_at, poll.closed_at = poll.opened_at or now, None
        else:
            poll.closed_at = now
        poll.save(update_fields=["status", "opened_at", "closed_at"])
        _publish(poll)
    return poll


def answer(
    actor: User, poll: Poll, *, options: Any = (), text: Any = "", rating: Any = None
) -> PollResponse:
    """One answer per person while the poll is open."""
    event_permissions.require_open(poll.session.event)
    if not event_permissions.can_participate(actor, poll.session.event):
        raise NotAllowed("Join this event to answer polls.", code="not_a_member")
    if poll.status != Status.OPEN:
        raise Conflict("This poll is not open.", code="not_open")
    chosen: list[PollOption] = []
    clean_text_answer = ""
    if poll.kind in (Kind.SINGLE, Kind.MULTIPLE):
        ids = {int(o) for o in options or [] if isinstance(o, int) and not isinstance(o, bool)}
        chosen = [o for o in poll.options.all() if o.pk in ids]
        if not chosen or len(chosen) != len(ids):
            raise Invalid("Choose among the poll's options.", field="options")
        if poll.kind == Kind.SINGLE and len(chosen) != 1:
            raise Invalid("Choose one option.", field="options")
    elif poll.kind == Kind.RATING:
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise Invalid("Give a rating.", field="rating")
        if not 1 <= rating <= poll.scale_max:
            raise Invalid(f"A rating from 1 to {poll.scale_max}.", field="rating")
    else:
        clean_text_answer = clean_line(text, field="text", max_length=40, required=True)
        lowered = clean_text_answer.lower()
        for term, action in word_filter_terms(poll.session.event_id):
            if action == "block" and term.lower() in lowered:
                raise Invalid(f"This event does not allow “{term}”.", code="blocked_term")
    try:
        with transaction.atomic():
            response = PollResponse.objects.create(
                poll=poll,
                user=actor,
                text=clean_text_answer,
                rating=rating if poll.kind == Kind.RATING else None,
            )
            if chosen:
                response.options.set(chosen)
            _publish(poll)
    except IntegrityError:
        raise Conflict("You have already answered this poll.", code="answered") from None
    return response
