"""How a question looks outside: one viewer-neutral JSON for the stream (the asker hidden when
anonymous), and the same with the asker for those allowed to see it."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from backchannel.feed.presenters import author_data

from .models import Question


def question_data(question: Question, *, with_asker: bool = False) -> dict[str, Any]:
    show = with_asker or not question.anonymous
    data: dict[str, Any] = {
        "id": question.pk,
        "session_id": question.session_id,
        "body": question.body,
        "anonymous": question.anonymous,
        "author": author_data(question.author) if show else None,
        "status": question.status,
        "vote_count": question.vote_count,
        "merged_into": question.merged_into_id,
        "created_at": question.created_at.isoformat(),
        "edited": question.edited_at is not None,
        "answered_at": question.answered_at.isoformat() if question.answered_at else None,
    }
    return data


def question_html(question: Question) -> str:
    return render_to_string("qa/_question.html", {"question": question})
