"""Who may do what with questions: one function per rule."""

from __future__ import annotations

from backchannel.accounts.models import Reader
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Session

from .models import Question


def can_ask(user: Reader, session: Session) -> bool:
    """Members who may write (a muted member is told so by the action)."""
    return event_permissions.can_participate(user, session.event)


def can_vote(user: Reader, question: Question) -> bool:
    return event_permissions.can_participate(user, question.session.event)


def can_run_questions(user: Reader, session: Session) -> bool:
    """Approve, answer, pin, edit, merge, dismiss: the session's presenters and the event's
    facilitators and organisers."""
    if not user.is_authenticated:
        return False
    if event_permissions.can_moderate_event(user, session.event):
        return True
    return session.presenters.filter(pk=user.pk).exists()


def can_see_pending(user: Reader, question: Question) -> bool:
    """A question waiting for approval: its author and the people who run the session."""
    return bool(user.is_authenticated and question.author_id == user.pk) or can_run_questions(
        user, question.session
    )


def can_see_asker(user: Reader, question: Question) -> bool:
    """Anonymous to other attendees, never to presenters and facilitators."""
    if not question.anonymous:
        return True
    return bool(user.is_authenticated and question.author_id == user.pk) or can_run_questions(
        user, question.session
    )
