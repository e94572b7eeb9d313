"""Every write to Q&A: asking, voting, and what presenters and facilitators do with questions.
Each records its stream event on the session's topic (`question.*`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from backchannel import ratelimits
from backchannel.accounts.models import User
from backchannel.care import support
from backchannel.care.check import check as caution_check
from backchannel.care.findings import Finding
from backchannel.errors import CautionNeeded, Conflict, Invalid, NotAllowed
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session
from backchannel.realtime.models import StreamEvent
from backchannel.realtime.outbox import record_event
from backchannel.text import clean_text

from . import permissions
from .models import Question, Vote
from .presenters import question_data, question_html

Status = Question.Status
QUESTION_MAX_LENGTH = 300


@dataclass(frozen=True)
class Asked:
    question: Question
    created: bool
    findings: tuple[Finding, ...] = ()  # what the caution check found (the asker confirmed)

    @property
    def pending(self) -> bool:
        return self.question.status == Status.PENDING

    @property
    def crisis_support(self) -> dict[str, Any] | None:
        """Crisis resources for the asker's answer only, as for posts."""
        return support.for_post(self.findings, self.question.body, self.question.session.event)


def _publish(question: Question, type: str = "question.updated") -> None:
    """Tell the room. Pending questions go only to the people who run the session (they read
    them from the queue); the room learns of a question once it is live."""
    if question.status == Status.PENDING:
        return
    record_event(
        question.session.topic,
        type,
        {"question": question_data(question), "html": question_html(question)},
    )


def rewrite_history(question: Question) -> None:
    """Make the session's replay log say what the question says now: a reader replaying from
    before an edit, a dismissal or an erasure never gets the earlier text or asker. Dismissed
    (or erased) questions become `question.removed`; others carry their current data."""
    events = StreamEvent.objects.filter(topic=question.session.topic, type__startswith="question.")
    merged_into_it = events.filter(type="question.merged", payload__into__id=question.pk)
    about_it = events.filter(payload__question__id=question.pk)
    if question.status == Status.DISMISSED or not question.body:
        about_it.update(type="question.removed", payload={"question_id": question.pk})
        for event in merged_into_it:  # the duplicates folded into it go with it
            duplicate = event.payload.get("question_id")
            event.type, event.payload = "question.removed", {"question_id": duplicate}
            event.save(update_fields=["type", "payload"])
        return
    current = {"question": question_data(question), "html": question_html(question)}
    about_it.update(payload=current)
    for event in merged_into_it:
        event.payload = {**event.payload, "into": current["question"], "html": current["html"]}
        event.save(update_fields=["payload"])


def ask(
    actor: User,
    session: Session,
    *,
    body: Any,
    anonymous: bool = False,
    client_id: str | None = None,
    confirm: bool = False,
) -> Asked:
    """Ask the session's presenters a question. The caution check applies as for posts; a
    repeated client_id returns the first question."""
    ratelimits.enforce("post", user=actor)  # questions and posts share one count
    event_permissions.require_open(session.event)
    if not permissions.can_ask(actor, session):
        raise NotAllowed("Join this event to ask questions.", code="not_a_member")
    if event_permissions.restriction_at(actor, session.event) == "mute":
        raise NotAllowed("You are muted in this event for now.", code="muted")
    if session.is_lobby:
        raise Invalid("Questions go to a session, not the lobby.", code="lobby")
    if client_id is not None:
        earlier = Question.objects.filter(author=actor, client_id=client_id).first()
        if earlier is not None:
            return Asked(earlier, created=False, findings=tuple(caution_check(earlier.body)))
    text = clean_text(body, field="body", max_length=QUESTION_MAX_LENGTH, required=True)
    findings = caution_check(text)
    if not confirm and any(f.asks_to_confirm for f in findings):
        raise CautionNeeded(
            findings, crisis_support=support.for_post(findings, text, session.event)
        )
    runs_it = permissions.can_run_questions(actor, session)
    status = Status.PENDING if session.questions_premoderated and not runs_it else Status.LIVE
    try:
        with transaction.atomic():
            question = Question.objects.create(
                session=session,
                author=actor,
                body=text,
                anonymous=bool(anonymous),
                status=status,
                client_id=client_id,
            )
            _publish(question, "question.created")
    except IntegrityError:
        earlier = Question.objects.filter(author=actor, client_id=client_id).first()
        if earlier is None:
            raise
        return Asked(earlier, created=False, findings=tuple(caution_check(earlier.body)))
    return Asked(question, created=True, findings=tuple(findings))


def set_vote(actor: User, question: Question, *, on: bool) -> int:
    """Upvote once, or take it back; idempotent. Concurrent votes count exactly once each: the
    unique (question, user) row decides, and the count moves in the same transaction."""
    event_permissions.require_open(question.session.event)
    if not permissions.can_vote(actor, question):
        raise NotAllowed("Join this event to vote.", code="not_a_member")
    if question.status != Status.LIVE or question.merged_into_id is not None:
        raise Conflict("Only open questions take votes.", code="not_open")
    if question.author_id == actor.pk and on:
        raise Invalid("You cannot vote for your own question.", code="own_question")
    with transaction.atomic():
        if on:
            try:
                with transaction.atomic():
                    Vote.objects.create(question=question, user=actor)
                changed = True
            except IntegrityError:
                changed = False
        else:
            changed = bool(Vote.objects.filter(question=question, user=actor).delete()[0])
        if changed:
            Question.objects.filter(pk=question.pk).update(
                vote_count=F("vote_count") + (1 if on else -1)
            )
        question.vote_count = Question.objects.values_list("vote_count", flat=True).get(
            pk=question.pk
        )
        if changed:
            record_event(
                question.session.topic,
                "question.voted",
                {"question_id": question.pk, "vote_count": question.vote_count},
            )
    return question.vote_count


def _require_runner(actor: User, question: Question) -> None:
    if not permissions.can_run_questions(actor, question.session):
        raise NotAllowed("Only the session's presenters and facilitators can do that.")


def set_status(actor: User, question: Question, *, status: Any) -> Question:
    """Approve (pending → live), mark answered, dismiss, or reopen."""
    _require_runner(actor, question)
    if status not in (Status.LIVE, Status.ANSWERED, Status.DISMISSED):
        raise Invalid("The status is live, answered or dismissed.", field="status")
    if question.merged_into_id is not None:
        raise Conflict("This question was merged into another.", code="merged")
    was_pending = question.status == Status.PENDING
    with transaction.atomic():
        question.status = status
        question.answered_at = timezone.now() if status == Status.ANSWERED else None
        question.save(update_fields=["status", "answered_at"])
        session = question.session
        if status != Status.LIVE and session.now_answering_id == question.pk:
            Session.objects.filter(pk=session.pk).update(now_answering=None)
            session.now_answering_id = None
            record_event(session.topic, "question.pinned", {"question_id": None})
        if was_pending and status == Status.LIVE:
            _publish(question, "question.created")
        elif status == Status.DISMISSED:
            rewrite_history(question)
            record_event(session.topic, "question.removed", {"question_id": question.pk})
        else:
            _publish(question)
    return question


def pin(actor: User, session: Session, question: Question | None) -> Session:
    """Show one question as "now answering" (or none)."""
    if not permissions.can_run_questions(actor, session):
        raise NotAllowed("Only the session's presenters and facilitators can do that.")
    if question is not None:
        if question.session_id != session.pk:
            raise Invalid("That question belongs to another session.", field="question_id")
        if question.status != Status.LIVE or question.merged_into_id is not None:
            raise Conflict("Only an open question can be pinned.", code="not_open")
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(now_answering=question)
        session.now_answering = question
        record_event(
            session.topic,
            "question.pinned",
            {"question_id": question.pk if question else None},
        )
    return session


def edit(actor: User, question: Question, *, body: Any) -> Question:
    """Fix a typo (presenters and facilitators); the question is marked edited."""
    _require_runner(actor, question)
    text = clean_text(body, field="body", max_length=QUESTION_MAX_LENGTH, required=True)
    with transaction.atomic():
        question.body = text
        question.edited_at = timezone.now()
        question.save(update_fields=["body", "edited_at"])
        rewrite_history(question)
        _publish(question)
    return question


def merge(actor: User, duplicate: Question, into: Question) -> Question:
    """Fold a duplicate into another question of the same session: its voters (and its asker)
    now vote for the other, once each."""
    _require_runner(actor, duplicate)
    if duplicate.pk == into.pk or duplicate.session_id != into.session_id:
        raise Invalid("Merge into another question of the same session.", field="into")
    if into.merged_into_id is not None or into.status == Status.DISMISSED:
        raise Conflict("Merge into an open question.", code="not_open")
    if duplicate.merged_into_id is not None:
        raise Conflict("This question was already merged.", code="merged")
    with transaction.atomic():
        voters = set(Vote.objects.filter(question=duplicate).values_list("user_id", flat=True))
        voters.add(duplicate.author_id)
        voters.discard(into.author_id)
        already = set(
            Vote.objects.filter(question=into, user_id__in=voters).values_list("user_id", flat=True)
        )
        new = voters - already
        Vote.objects.bulk_create([Vote(question=into, user_id=uid) for uid in new])
        Question.objects.filter(pk=into.pk).update(vote_count=F("vote_count") + len(new))
        into.refresh_from_db(fields=["vote_count"])
        duplicate.merged_into = into
        duplicate.save(update_fields=["merged_into"])
        if into.session.now_answering_id == duplicate.pk:
            Session.objects.filter(pk=into.session_id).update(now_answering=into)
        record_event(
            into.session.topic,
            "question.merged",
            {
                "question_id": duplicate.pk,
                "into": question_data(into),
                "html": question_html(into),
            },
        )
    return into
