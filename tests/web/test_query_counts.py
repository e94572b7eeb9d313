"""What reads and the posting path cost in queries, with one item and with three: the same
count both ways, so an N+1 (a query per post, author, reply or session) goes red here rather
than in production. Counts are exact: a change that adds a query says so by changing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backchannel.events import actions as event_actions
from backchannel.feed.actions import create_post, set_reaction
from backchannel.qa.actions import ask

pytestmark = pytest.mark.django_db


# Each stream event costs one more query on PostgreSQL: a transaction lock per topic keeps ids
# committing in order (realtime/outbox.py).
PER_STREAM_EVENT = 1 if connection.vendor == "postgresql" else 0


def queries_for(do: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        do()
    return len(captured.captured_queries)


def _conversation(conference: Any, make_person: Any, items: int) -> None:
    """`items` threads by different people, each with a reply, a reaction, a hashtag and a
    question: every kind of thing a page might fetch once per item."""
    for i in range(items):
        person = make_person(f"p{i}", name=f"Person {i}")
        event_actions.join_event(person.user, conference.event)
        root = create_post(
            person.user, conference.session, body=f"Point {i} #tag{i} @ada", client_id=f"r{i}"
        ).post
        create_post(
            conference.attendee.user,
            conference.session,
            body=f"Reply {i}",
            reply_to=root.pk,
            client_id=f"re{i}",
        )
        set_reaction(conference.attendee.user, root, kind="like", on=True)
        ask(person.user, conference.session, body=f"Question number {i}?")


def _count_with(conference: Any, make_person: Any, items: int, read: Callable[[], Any]) -> int:
    _conversation(conference, make_person, items)
    read()  # warm what is cached once per process (content types, settings)
    return queries_for(read)


def _page(path: str, user: Any = None) -> Callable[[], Any]:
    client = Client()
    if user is not None:
        client.force_login(user)

    def read() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    return read


@pytest.mark.parametrize("items", [1, 3])
def test_the_session_page(conference: Any, make_person: Any, items: int) -> None:
    read = _page(f"/e/conf/s/{conference.session.pk}/", conference.attendee.user)
    assert _count_with(conference, make_person, items, read) == 18


@pytest.mark.parametrize("items", [1, 3])
def test_the_feed_api(conference: Any, make_person: Any, items: int) -> None:
    read = _page(f"/api/v1/sessions/{conference.session.pk}/posts")
    assert _count_with(conference, make_person, items, read) == 2


@pytest.mark.parametrize("items", [1, 3])
def test_the_archive_page(conference: Any, make_person: Any, items: int) -> None:
    read = _page(f"/e/conf/s/{conference.session.pk}/archive/")
    assert _count_with(conference, make_person, items, read) == 8


@pytest.mark.parametrize("items", [1, 3])
def test_the_session_dashboard(conference: Any, make_person: Any, items: int) -> None:
    read = _page(f"/e/conf/s/{conference.session.pk}/analytics/", conference.organiser.user)
    assert _count_with(conference, make_person, items, read) == 36


@pytest.mark.parametrize("items", [1, 3])
def test_the_event_dashboard(conference: Any, make_person: Any, items: int) -> None:
    """Items here are sessions too: the event's dashboard lists every session side by side."""
    for i in range(items - 1):
        event_actions.create_session(
            conference.organiser.user,
            conference.event,
            title=f"Extra {i}",
            kind="workshop",
            starts_at=conference.session.starts_at,
            ends_at=conference.session.ends_at,
        )
    read = _page("/e/conf/analytics/", conference.organiser.user)
    assert _count_with(conference, make_person, items, read) == 41


@pytest.mark.parametrize("items", [1, 3])
def test_posting(conference: Any, make_person: Any, items: int) -> None:
    """Items here are what a post links to: hashtags, and a reply's parent."""
    author = conference.attendee.user
    parent = create_post(author, conference.session, body="Warm up", client_id="warm").post
    body = " ".join(f"#t{i}" for i in range(items))
    assert (
        queries_for(
            lambda: create_post(
                author, conference.session, body=body, reply_to=parent.pk, client_id="counted"
            )
        )
        == 8 + PER_STREAM_EVENT
    )


@pytest.mark.parametrize("items", [1, 3])
def test_mentions_cost_one_notification_each(conference: Any, make_person: Any, items: int) -> None:
    """Each person a post mentions gets a notification (a row and a private stream event), so
    mentions cost per person (one read: is the author silenced, their preference, their unread
    count; then the row and the stream event), and no more than that."""
    people = [make_person(f"m{i}") for i in range(items)]
    author = conference.attendee.user
    create_post(author, conference.session, body="Warm up", client_id="warm")
    body = " ".join(f"@{p.user.username}" for p in people)
    counted = queries_for(
        lambda: create_post(author, conference.session, body=body, client_id="counted")
    )
    assert counted == 7 + PER_STREAM_EVENT + (3 + PER_STREAM_EVENT) * items


def test_posting_through_the_api(conference: Any) -> None:
    """The whole request a client makes to post (bearer token → person, session → event,
    then `create_post`): what posting costs end to end, pinned so the hot path's count only
    changes on purpose (issue #17)."""
    from backchannel.accounts.actions import create_api_token

    _, token = create_api_token(conference.attendee.user, name="counted")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    path = f"/api/v1/sessions/{conference.session.pk}/posts"

    def post(client_id: str) -> None:
        response = client.post(
            path, {"body": "Notes #tag", "client_id": client_id}, content_type="application/json"
        )
        assert response.status_code == 201, response.content

    post("warm")
    assert queries_for(lambda: post("counted")) == 10 + PER_STREAM_EVENT


@pytest.mark.django_db(transaction=True)
def test_posting_through_the_api_with_the_rows_each_process_keeps(conference: Any) -> None:
    """Outside a test's wrapping transaction, as in production: the token with its person,
    the session with its event, the event's word filters and where the author stands there
    come from the rows the process keeps (db/rowcache.py), so a post costs four statements
    fewer than above."""
    from backchannel.accounts.actions import create_api_token
    from tests.support.wait import wait_until

    _, token = create_api_token(conference.attendee.user, name="counted")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    path = f"/api/v1/sessions/{conference.session.pk}/posts"
    posted = iter(range(1000))

    def post() -> None:
        response = client.post(
            path,
            {"body": "Notes #tag", "client_id": f"p{next(posted)}"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    # Out of the test's transaction, its BEGIN and COMMIT count, and on PostgreSQL the broker's
    # NOTIFY after the commit (realtime/postgres_broker.py).
    expected = 6 + 2 * PER_STREAM_EVENT
    post()  # the token's first use writes when it was used, and its row is read again
    # (Until: a live server in this process may still be clearing rows for the fixture's writes.)
    wait_until(lambda: queries_for(post) == expected, f"a post to cost {expected} statements")
    assert queries_for(post) == expected
