"""Who may do what with the blog: one function per rule."""

from __future__ import annotations

from backchannel.accounts.models import Reader
from backchannel.events import permissions as event_permissions
from backchannel.events.models import Event
from backchannel.feed import permissions as feed_permissions

from .comments import comment_feed
from .models import Article


def can_write_article(user: Reader, event: Event) -> bool:
    """Articles are written by the event's organisers (and site staff)."""
    return event_permissions.can_manage_event(user, event)


def can_edit_article(user: Reader, article: Article) -> bool:
    return event_permissions.can_manage_event(user, article.event)


def can_read_article(user: Reader, article: Article) -> bool:
    """Published articles are read by whoever may read their event; drafts by its organisers."""
    if not article.is_published:
        return can_edit_article(user, article)
    return event_permissions.can_view_event(user, article.event)


def can_comment(user: Reader, article: Article) -> bool:
    """Comments are posts in the linked feed: whoever may post there, while comments are open."""
    if not article.is_published or not article.comments_open:
        return False
    return feed_permissions.can_post(user, comment_feed(article))
