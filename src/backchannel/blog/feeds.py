"""RSS and Atom feeds of the blog: the newest published articles the reader may read (feed
readers carry no cookie, so in practice those of public events)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article
from .queries import published_articles

ITEMS = 30


class BlogFeed(Feed):
    title = "Backchannel blog"
    description = "Articles by the organisers of the events on this Backchannel."

    def get_object(self, request: HttpRequest) -> Any:
        return request.user

    def link(self) -> str:
        return reverse("blog")

    def items(self, user: Any) -> list[Article]:
        return list(published_articles(user).defer(None).defer("cover")[:ITEMS])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.body_html  # rendered from Markdown and sanitised when it was saved

    def item_link(self, item: Article) -> str:
        return reverse("article", args=[item.slug])

    def item_pubdate(self, item: Article) -> Any:
        return item.published_at

    def item_updateddate(self, item: Article) -> Any:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author.name if item.author else item.event.name

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class BlogAtom(BlogFeed):
    feed_type = Atom1Feed
    subtitle = BlogFeed.description
