"""Where an article's comments go. Comments are posts (feed/models.py) in a session's feed;
the permissions ask this too, so it sits below them."""

from __future__ import annotations

from backchannel.events.models import Session
from backchannel.events.queries import lobby_of

from .models import Article


def comment_feed(article: Article) -> Session:
    """Where comments go: the linked session's feed, or the event's lobby."""
    if article.session_id is not None:
        assert article.session is not None
        return article.session
    return lobby_of(article.event)
