"""Reads of questions: the ranked list, one question, similar questions, a person's votes."""

from __future__ import annotations

from django.db.models import QuerySet
from rapidfuzz import fuzz, process

from backchannel.accounts.models import Reader
from backchannel.errors import NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session

from . import permissions
from .models import Question, Vote

Status = Question.Status
MAX_LISTED = 200


def listed(
    session: Session, *, order: str = "top", include_answered: bool = True
) -> list[Question]:
    """Open (and answered) questions, top-voted or newest first; merged ones are folded in."""
    statuses = [Status.LIVE, Status.ANSWERED] if include_answered else [Status.LIVE]
    qs = Question.objects.filter(session=session, status__in=statuses, merged_into=None)
    ordering = ("-vote_count", "id") if order == "top" else ("-id",)
    return list(qs.select_related("author", "session__event").order_by(*ordering)[:MAX_LISTED])


def pending(session: Session) -> list[Question]:
    return list(
        Question.objects.filter(session=session, status=Status.PENDING, merged_into=None)
        .select_related("author", "session__event")
        .order_by("id")
    )


def get_question_for(user: Reader, question_id: int) -> Question:
    question = (
        Question.objects.select_related("session__event", "author").filter(pk=question_id).first()
    )
    if question is None or not event_permissions.can_view_event(user, question.session.event):
        raise NotFound("No such question.")
    if question.status == Status.PENDING and not permissions.can_see_pending(user, question):
        raise NotFound("No such question.")
    return question


def voted_by(user: Reader, question_ids: list[int]) -> set[int]:
    if not user.is_authenticated or not question_ids:
        return set()
    return set(
        Vote.objects.filter(user=user, question_id__in=question_ids).values_list(
            "question_id", flat=True
        )
    )


def similar(session: Session, text: str, *, limit: int = 3) -> list[tuple[Question, float]]:
    """Open questions that look like `text` (word-set similarity, rapidfuzz), best first: shown
    to the asker before they submit, so the room votes on one question instead of three."""
    text = text.strip()
    if len(text) < 8:
        return []
    candidates: QuerySet[Question] = Question.objects.filter(
        session=session, status__in=[Status.LIVE, Status.ANSWERED], merged_into=None
    ).select_related("author")
    by_id = {q.pk: q for q in candidates[:500]}
    matches = process.extract(
        text.lower(),
        {pk: q.body.lower() for pk, q in by_id.items()},
        scorer=fuzz.token_set_ratio,
        score_cutoff=60,
        limit=limit,
    )
    return [(by_id[pk], score) for _, score, pk in matches]
