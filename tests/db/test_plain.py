"""Plain SQL (db/plain.py) gives and takes rows exactly as the ORM does: every field of an
instance read or written here equals the ORM's, with the same Python types (aware datetimes,
booleans, JSON, NULL foreign keys), on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_init, post_save, pre_init, pre_save

from backchannel.accounts.models import ApiToken, User
from backchannel.accounts.tokens import token_for
from backchannel.db import plain
from backchannel.events.models import Event, Room, Session
from backchannel.events.queries import get_session_for
from backchannel.feed.actions import create_post
from backchannel.feed.models import Post
from backchannel.feed.queries import people_by_handle, reply_parent
from backchannel.notifications.models import Notification
from backchannel.realtime.models import StreamEvent

pytestmark = pytest.mark.django_db

# What the hot write inserts with plain.insert, which sends no model signals.
INSERTED_PLAINLY = (Post, Notification, StreamEvent)


def values(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def same(ours: models.Model, orm: models.Model, *, types: bool = True) -> None:
    assert type(ours) is type(orm)
    mine, theirs = values(ours), values(orm)
    assert mine == theirs
    if types:
        assert {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in theirs.items()}
    assert not ours._state.adding and ours._state.db == orm._state.db
    # Nothing more and nothing less on the instance than the ORM leaves (plain builds rows'
    # instances without Model.__init__).
    assert set(vars(ours)) == set(vars(orm))


def test_the_models_read_plainly_are_built_without_model_init() -> None:
    """plain.Columns skips Model.__init__ only where it would just store each value; each
    model the post path reads qualifies (so `same` above checks the shortcut), and a model
    that listens to its init signal does not."""
    for model in (User, ApiToken, Session, Event, Room, Post):
        assert plain.columns(model, "x").plain_attributes, model

    def listener(**kwargs: Any) -> None: ...

    post_init.connect(listener, sender=Room)
    try:
        assert not plain.Columns(Room, "x").plain_attributes
    finally:
        post_init.disconnect(listener, sender=Room)


def test_nothing_listens_to_the_model_signals_plain_sql_skips() -> None:
    for signal in (pre_save, post_save, pre_init, post_init):
        for model in INSERTED_PLAINLY:
            assert not signal.has_listeners(model), (signal, model)


def test_a_session_with_its_event_and_room_reads_as_the_orm_reads_it(conference: Any) -> None:
    room = Room.objects.create(event=conference.event, name="Hall A")
    Session.objects.filter(pk=conference.session.pk).update(room=room, tweet_seats=True)
    for session_id in (conference.session.pk, conference.other_session.pk):  # a room, none
        ours = get_session_for(conference.attendee.user, session_id)
        orm = Session.objects.select_related("event", "room").get(pk=session_id)
        same(ours, orm)
        same(ours.event, orm.event)
        if orm.room is None:
            assert ours.room is None
        else:
            same(ours.room, orm.room)
        assert isinstance(ours.event, Event)


def test_a_token_and_its_person_read_as_the_orm_reads_them(conference: Any) -> None:
    raw = conference.attendee.token
    token_for(raw)  # the first use stamps last_used_at (once a minute)
    token = token_for(raw)
    assert token is not None
    orm = ApiToken.objects.select_related("user").get(pk=token.pk)
    same(token, orm)
    same(token.user, orm.user)
    User.objects.filter(pk=orm.user_id).update(is_active=False)
    assert token_for(raw) is None


def test_a_reply_parent_and_mentioned_people_read_as_the_orm_reads_them(
    conference: Any,
) -> None:
    post = create_post(conference.attendee.user, conference.session, body="Hello").post
    parent = reply_parent(conference.session, post.pk)
    assert parent is not None
    same(parent, Post.objects.get(pk=post.pk))
    same(parent.author, User.objects.get(pk=post.author_id))
    assert reply_parent(conference.other_session, post.pk) is None  # another session's post
    handle = conference.attendee.user.username
    people = people_by_handle({handle.lower(), "nobody_here"})
    assert [p.pk for p in people] == [conference.attendee.user.pk]
    same(people[0], User.objects.get(username=handle))


def test_an_insert_writes_the_row_the_orm_would(conference: Any) -> None:
    # Values, not types: a new instance keeps what it was given (an enum member where the row
    # reads back a str), as after the ORM's create().
    event = plain.insert(StreamEvent(topic="t", type="x", payload={"a": [1, "é"], "b": None}))
    same(event, StreamEvent.objects.get(pk=event.pk), types=False)
    assert event.created_at is not None and event.created_at.tzinfo is not None
    post = plain.insert(
        Post(session=conference.session, author=conference.attendee.user, body="b", client_id="c")
    )
    stored = Post.objects.get(pk=post.pk)
    same(post, stored, types=False)
    assert stored.status == Post.Status.PUBLISHED and stored.like_count == 0  # the defaults


def built_alike(ours: models.Model, orm: models.Model) -> None:
    """Two new, unsaved instances hold the same: attributes, state and cached relations."""
    assert type(ours) is type(orm)
    mine = {k: v for k, v in vars(ours).items() if k != "_state"}
    theirs = {k: v for k, v in vars(orm).items() if k != "_state"}
    assert mine == theirs
    assert {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in theirs.items()}
    assert (ours._state.adding, ours._state.db) == (orm._state.adding, orm._state.db)
    assert ours._state.fields_cache.keys() == orm._state.fields_cache.keys()
    for name, related in orm._state.fields_cache.items():
        assert ours._state.fields_cache[name] is related, name


def test_a_new_instance_is_what_model_init_would_build(conference: Any) -> None:
    """plain.new for each model the post path inserts: related instances, ids, None, the
    fields' defaults."""
    user, session = conference.attendee.user, conference.session
    parent = Post.objects.create(session=session, author=user, body="parent")
    for model, given in (
        (StreamEvent, {"topic": "t", "type": "x", "payload": {"a": [1]}}),
        (StreamEvent, {}),
        (
            Post,
            {
                "session": session,
                "author": user,
                "body": "b",
                "reply_to": parent,
                "thread_root_id": parent.pk,
                "article": None,
                "status": Post.Status.HELD,
                "official": True,
            },
        ),
        (Post, {"session_id": session.pk, "author_id": user.pk, "reply_to": None}),
        (
            Notification,
            {"user": user, "kind": "mention", "actor": None, "post": parent, "text": "t"},
        ),
    ):
        built_alike(plain.new(model, **given), model(**given))


def test_a_new_instance_fails_as_model_init_would(conference: Any) -> None:
    with pytest.raises(TypeError, match="unexpected keyword"):
        plain.new(Post, body="b", nonsense=1)
    with pytest.raises(ValueError, match="must be a"):
        plain.new(Post, author=conference.session)


def test_create_writes_the_row_the_orm_would(conference: Any) -> None:
    post = plain.create(Post, session=conference.session, author=conference.attendee.user, body="b")
    same(post, Post.objects.get(pk=post.pk), types=False)
    assert post.author is conference.attendee.user  # cached, as after the ORM's create()


def test_an_insert_that_breaks_a_constraint_raises_the_orm_error_and_writes_nothing(
    conference: Any,
) -> None:
    def again() -> Post:
        return Post(
            session=conference.session, author=conference.attendee.user, body="b", client_id="c"
        )

    plain.insert(again())
    with pytest.raises(IntegrityError), transaction.atomic():
        plain.insert(again())
    assert Post.objects.filter(client_id="c").count() == 1


def test_a_reserved_seat_reads_as_the_orm_reads_it(conference: Any) -> None:
    from backchannel.events.models import SeatBlock, SeatReservation
    from backchannel.events.seats import has_reserved_seat

    session = conference.session
    block = SeatBlock.objects.create(session=session, label="Front", capacity=2)
    person = conference.attendee.user
    Status = SeatReservation.Status
    for status in (None, Status.CANCELLED, Status.WAITLISTED, Status.RESERVED):
        SeatReservation.objects.filter(user=person).delete()
        if status is not None:
            SeatReservation.objects.create(block=block, session=session, user=person, status=status)
        orm = SeatReservation.objects.filter(
            session=session, user=person, status=Status.RESERVED
        ).exists()
        assert has_reserved_seat(person, session) is orm is (status == Status.RESERVED)
        assert has_reserved_seat(person, conference.other_session) is False


def test_a_statement_runs_the_same_with_its_placeholders_named_once(conference: Any) -> None:
    """On SQLite, plain.execute names the `%s` placeholders once (Django's driver would turn
    them into `?` with a regular expression at every call); the rows, the literal `%` and the
    query log (what the query-count tests read) are the same as `cursor.execute`'s."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sql = (
        f"SELECT {plain.quote('username')}, '100%%' FROM {plain.table(User)} "
        f"WHERE {plain.quote('username')} IN (%s, %s) OR {plain.quote('username')} LIKE %s "
        f"ORDER BY {plain.quote('username')}"
    )
    params = [conference.attendee.user.username, "nobody", "%%s"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected = cursor.fetchall()
    with CaptureQueriesContext(connection) as captured, connection.cursor() as cursor:
        plain.execute(cursor, sql, params)
        rows = cursor.fetchall()
    assert rows == expected == [(conference.attendee.user.username, "100%")]
    assert len(captured.captured_queries) == 1
    assert conference.attendee.user.username in captured.captured_queries[0]["sql"]
    from django.db import ProgrammingError

    with connection.cursor() as cursor, pytest.raises((ValueError, ProgrammingError)):
        plain.execute(cursor, sql, params[:2])  # one too few: refused, never run short


# Values of each type plain.insert may store as they are (db/plain.py `as_is_types`).
SAMPLES: dict[type, list[Any]] = {
    str: ["", "é and 'quotes'", "%s", "x" * 300],
    int: [0, 1, -5, 2**62],
    bool: [True, False],
    type(None): [None],
}


@pytest.mark.parametrize("model", INSERTED_PLAINLY)
def test_values_stored_as_they_are_are_what_the_orm_would_prepare(model: Any) -> None:
    """plain.insert skips the ORM's preparation for a str, int, bool or None in a field that
    would give it back unchanged on SQLite (issue #17). For every field of the models it
    inserts and a value of every type, both ways give the database the same value."""
    from django.db import connection

    skipped = 0
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        as_is = plain.as_is_types(field)
        if not as_is:
            continue  # prepared the ORM's way, by the same call
        skipped += 1
        for samples in SAMPLES.values():
            for value in samples:
                instance = model()
                setattr(instance, field.attname, value)
                try:
                    orm = field.get_db_prep_save(field.pre_save(instance, True), connection)
                except (TypeError, ValueError, ValidationError):
                    # The ORM refuses it, and so does plain, which prepares what it cannot skip.
                    assert type(value) not in as_is
                    continue
                ours = plain.prepare(instance, field, as_is)
                assert ours == orm and type(ours) is type(orm), (field, value)
    if connection.vendor == "sqlite":
        assert skipped  # the shortcut is in use
    else:
        assert skipped == 0  # PostgreSQL's driver adapts integers: always the ORM's way


@pytest.mark.parametrize("model", INSERTED_PLAINLY)
def test_utc_datetimes_stored_as_text_are_what_the_orm_would_prepare(
    model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite an aware UTC datetime is stored as `str()` of it without its zone, skipping
    Django's settings reads (issue #17); any other value goes the ORM's way. Both ways give the
    database the same value for every datetime field of the models plain inserts, set by hand
    or by `auto_now_add`."""
    import datetime as dt
    import zoneinfo

    from django.db import connection
    from django.utils import timezone

    samples = [
        dt.datetime(2026, 12, 2, 15, 30, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 2, 15, 30, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(1999, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")),
        dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        None,
    ]
    fast = 0
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.DateTimeField):
            continue
        utc_text = plain.utc_as_text(field)
        fast += utc_text
        for value in samples:
            monkeypatch.setattr(timezone, "now", lambda value=value: value)
            instance = model()
            setattr(instance, field.attname, value)
            orm = field.get_db_prep_save(field.pre_save(instance, True), connection)
            instance = model()
            setattr(instance, field.attname, value)
            ours = plain.prepare(instance, field, (), utc_text)
            assert ours == orm and type(ours) is type(orm), (field, value)
    if connection.vendor == "sqlite":
        assert fast  # the shortcut is in use
    else:
        assert not fast
