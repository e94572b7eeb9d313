"""Full-text search over an event's public posts and questions, one interface over two
databases: SQLite's FTS5 (porter stemming, accents folded) and PostgreSQL's text search
(English configuration), both fed from the indexes of archive/migrations/0001_search.py.

Only what readers may see is found: published posts, open and answered questions; a question
asked anonymously is found by its words, never by its author."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import regex
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from backchannel import ratelimits
from backchannel.events.models import Event
from backchannel.feed.models import Post
from backchannel.feed.queries import PUBLISHED
from backchannel.qa.models import Question

_TERM = regex.compile(r"[\p{L}\p{N}_]+")
MAX_TERMS = 12
MAX_RESULTS = 100


@dataclass(frozen=True)
class Filters:
    session_id: int | None = None
    hashtag: str = ""
    person: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def any(self) -> bool:
        return bool(self.session_id or self.hashtag or self.person or self.since or self.until)


@dataclass
class Results:
    text: str
    posts: list[Post] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.posts) + len(self.questions)


def terms(text: str) -> list[str]:
    """The words of a query: letters and digits only, so no input is ever read as query
    syntax by either database."""
    return [t[:50] for t in _TERM.findall(text.lower())][:MAX_TERMS]


def _matching(table: str, index: str, words: list[str]) -> RawSQL:
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611 - the table is a constant; the words are a parameter
            f"SELECT id FROM {table} WHERE to_tsvector('english'::regconfig, "  # noqa: S608
            "COALESCE(body, '')) @@ plainto_tsquery('english'::regconfig, %s)",
            [" ".join(words)],
        )
    # FTS5: every word must be there (each quoted, so it is a word, never an operator).
    query = " ".join(f'"{w}"' for w in words)
    sql = f"SELECT rowid FROM {index} WHERE {index} MATCH %s"  # noqa: S608 - a constant name
    return RawSQL(sql, [query])  # noqa: S611 - the words are a parameter


def _dated(qs: QuerySet, filters: Filters, event: Event) -> QuerySet:
    if filters.since:
        start = dt.datetime.combine(filters.since, dt.time.min, tzinfo=event.tz)
        qs = qs.filter(created_at__gte=start)
    if filters.until:
        end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, event.tz)
        qs = qs.filter(created_at__lt=end)
    return qs


def search(
    event: Event,
    text: str,
    filters: Filters | None = None,
    *,
    searcher: ratelimits.Someone | None = None,
    limit: int = 50,
) -> Results:
    """The event's published posts and open or answered questions matching `text` and
    `filters`, newest first. A search counts against `searcher`'s limit (nothing asked for,
    nothing counted)."""
    filters = filters or Filters()
    words = terms(text)
    results = Results(text=text)
    if not words and not filters.any:
        return results
    ratelimits.enforce("search", user=searcher)
    limit = max(1, min(limit, MAX_RESULTS))

    posts = Post.objects.filter(PUBLISHED, session__event=event)
    if words:
        posts = posts.filter(pk__in=_matching("feed_post", "search_post", words))
    if filters.session_id:
        posts = posts.filter(session_id=filters.session_id)
    if filters.hashtag:
        posts = posts.filter(hashtags__name=filters.hashtag.lstrip("#").lower())
    if filters.person:
        posts = posts.filter(author__username__iexact=filters.person.lstrip("@"))
    posts = _dated(posts, filters, event)
    results.posts = list(
        posts.select_related("author", "session__event").order_by("-id").distinct()[:limit]
    )

    if not filters.hashtag:  # questions carry no hashtags
        questions = Question.objects.filter(
            Q(status=Question.Status.LIVE) | Q(status=Question.Status.ANSWERED),
            session__event=event,
            merged_into=None,
        )
        if words:
            questions = questions.filter(pk__in=_matching("qa_question", "search_question", words))
        if filters.session_id:
            questions = questions.filter(session_id=filters.session_id)
        if filters.person:
            questions = questions.filter(
                author__username__iexact=filters.person.lstrip("@"), anonymous=False
            )
        questions = _dated(questions, filters, event)
        results.questions = list(
            questions.select_related("author", "session").order_by("-id")[:limit]
        )
    return results
