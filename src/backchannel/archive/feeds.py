"""RSS and Atom feeds of a session's posts (Django's syndication framework)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from backchannel.errors import NotFound
from backchannel.events import queries as event_queries
from backchannel.events.models import Session
from backchannel.feed.models import Post
from backchannel.feed.queries import PUBLISHED

ITEMS = 50


class SessionPostsFeed(Feed):
    """The newest published posts of a session, for readers of the event (a join-code event's
    feed needs the reader's session cookie, so feed readers see only public events)."""

    def get_object(self, request: HttpRequest, slug: str, session_id: int) -> Session:
        session = event_queries.get_session_for(request.user, session_id)
        if session.event.slug != slug:
            raise NotFound("No such session.")
        return session

    def title(self, session: Session) -> str:
        return f"{session.title} · {session.event.name}"

    def link(self, session: Session) -> str:
        return f"/e/{session.event.slug}/s/{session.pk}/"

    def description(self, session: Session) -> str:
        return f"Posts in “{session.title}” at {session.event.name} on Backchannel."

    def items(self, session: Session) -> list[Post]:
        return list(
            Post.objects.filter(PUBLISHED, session=session)
            .select_related("author")
            .order_by("-id")[:ITEMS]
        )

    def item_title(self, item: Post) -> str:
        text = item.body if len(item.body) <= 80 else item.body[:79] + "…"
        return f"{item.author.name}: {text}"

    def item_description(self, item: Post) -> str:
        return item.body_html  # rendered and escaped when the post was written

    def item_link(self, item: Post) -> str:
        session = item.session
        return f"/e/{session.event.slug}/s/{session.pk}/#post-{item.pk}"

    # The guid (Atom's entry id) is the post's address: an IRI, as both formats want (a bare
    # "post-31" fails the validators).
    item_guid_is_permalink = True

    def item_pubdate(self, item: Post) -> Any:
        return item.created_at

    def item_updateddate(self, item: Post) -> Any:
        return item.created_at  # posts are not edited (Atom requires <updated> on each entry)

    def item_author_name(self, item: Post) -> str:
        return item.author.name


class SessionPostsAtom(SessionPostsFeed):
    feed_type = Atom1Feed
    subtitle = SessionPostsFeed.description
