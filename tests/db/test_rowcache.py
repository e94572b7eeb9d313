"""The rows a process keeps for the post path (db/rowcache.py): a token's person and a
session's event are read once, and every way those tables change clears them, in this process
at once and in the others through the control topic. Run with a real transaction per write
(transactional_db): inside a test's wrapping transaction nothing is kept, by design."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from backchannel.accounts.actions import revoke_api_token, update_profile
from backchannel.accounts.models import ApiToken, User
from backchannel.accounts.tokens import _ROWS as TOKEN_ROWS
from backchannel.accounts.tokens import hash_token, token_for
from backchannel.db import rowcache
from backchannel.events import actions as event_actions
from backchannel.events.models import Event, Room, Session
from backchannel.events.queries import _SESSION_ROWS as SESSION_ROWS
from backchannel.events.queries import get_session_for
from backchannel.orgs.actions import create_organisation, publish_policy, set_affiliation
from backchannel.orgs.models import Organisation
from backchannel.qa.actions import ask, pin
from backchannel.realtime.control import ControlSubscriber
from backchannel.realtime.hub import Hub
from backchannel.realtime.messages import StreamMessage
from backchannel.realtime.models import StreamEvent
from backchannel.realtime.outbox import CONTROL_TOPIC
from tests.support.wait import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def counting(load: Callable[[], Any]) -> tuple[Callable[[], Any], list[int]]:
    calls: list[int] = []

    def counted() -> Any:
        calls.append(1)
        return load()

    return counted, calls


def test_a_row_is_read_once_then_kept() -> None:
    cache = rowcache.RowCache("test", [Session])
    load, calls = counting(lambda: (1, "row"))
    assert cache.get("k", load) == (1, "row")
    assert cache.get("k", load) == (1, "row")
    assert len(calls) == 1


def test_a_missing_row_is_not_kept() -> None:
    cache = rowcache.RowCache("test", [Session])
    load, calls = counting(lambda: None)
    assert cache.get("k", load) is None
    assert cache.get("k", load) is None
    assert len(calls) == 2


def test_nothing_read_inside_a_transaction_is_kept() -> None:
    """It may be a row the transaction wrote and will roll back."""
    cache = rowcache.RowCache("test", [Session])
    with transaction.atomic():
        cache.get("k", lambda: (1,))
    assert len(cache) == 0


def test_a_row_read_while_its_table_changed_is_not_kept() -> None:
    """The read may have seen the row from before the change."""
    cache = rowcache.RowCache("test", [Session])

    def load_during_a_change() -> tuple[int]:
        rowcache.changed(Session)
        return (1,)

    assert cache.get("k", load_during_a_change) == (1,)
    assert len(cache) == 0


def test_a_row_is_read_again_after_the_longest_keep(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = rowcache.RowCache("test", [Session])
    now = [1000.0]
    monkeypatch.setattr(rowcache.time, "monotonic", lambda: now[0])
    load, calls = counting(lambda: (1,))
    cache.get("k", load)
    now[0] += cache.seconds - 0.01
    cache.get("k", load)
    assert len(calls) == 1
    now[0] += 0.02
    cache.get("k", load)
    assert len(calls) == 2


def test_a_cache_holds_a_bounded_number_of_rows() -> None:
    cache = rowcache.RowCache("test", [Session], size=3)
    for key in range(10):
        cache.get(key, lambda: (1,))
        assert len(cache) <= 3


def test_every_cached_table_tells_its_changes() -> None:
    """A cache of a model whose changes do not reach it would serve stale rows: each model a
    cache holds uses the change-telling queryset, and its saves and deletes are watched."""
    watched = {m._meta.label_lower for m in rowcache.watched_models()}
    for cache in rowcache._caches:
        assert cache.labels <= watched, cache.name
    assert {"accounts.user", "accounts.apitoken", "events.session", "events.event"} <= watched
    assert {"events.room", "moderation.wordfilter"} <= watched
    assert {"events.registration", "events.sanction"} <= watched


# Each write below is a way the cached tables change in the application; each must clear the
# rows kept of them (and the next read must see the change).


def _fill(conference: Any) -> None:
    """Read the attendee's token and the session until both are kept. (Until: when a live
    server runs in this process, its control subscriber may still be clearing them for an
    earlier write of this test's, announced a moment ago.)"""

    def kept() -> bool:
        assert token_for(conference.attendee.token) is not None
        get_session_for(conference.attendee.user, conference.session.pk)
        return len(TOKEN_ROWS) == 1 and len(SESSION_ROWS) == 1

    wait_until(kept, "the token's and the session's rows to be kept")


def test_saving_a_profile_clears_the_tokens_rows(conference: Any) -> None:
    _fill(conference)
    update_profile(
        conference.attendee.user,
        display_name="Ada A.",
        bio="",
        affiliation="Clinic",
        disclaimer="Views are my own",
    )
    assert len(TOKEN_ROWS) == 0
    token = token_for(conference.attendee.token)
    assert token is not None and token.user.affiliation == "Clinic"


def test_an_update_of_many_people_clears_the_tokens_rows(conference: Any) -> None:
    """QuerySet.update sends no signal: the queryset itself tells (an organisation's new
    policy sets every member's disclaimer that way)."""
    organisation = create_organisation(conference.attendee.user, name="Clinic", slug="clinic")
    set_affiliation(conference.attendee.user, organisation)
    _fill(conference)
    publish_policy(
        conference.attendee.user, organisation, body="Be kind.", disclaimer="Views are my own"
    )
    assert len(TOKEN_ROWS) == 0
    token = token_for(conference.attendee.token)
    assert token is not None and token.user.disclaimer == "Views are my own"


def test_revoking_a_token_clears_its_row(conference: Any) -> None:
    _fill(conference)
    token = ApiToken.objects.get(key_hash=hash_token(conference.attendee.token))
    revoke_api_token(conference.attendee.user, token.pk)
    assert token_for(conference.attendee.token) is None


def test_deactivating_a_person_clears_the_tokens_rows(conference: Any) -> None:
    _fill(conference)
    User.objects.filter(pk=conference.attendee.user.pk).update(is_active=False)
    assert token_for(conference.attendee.token) is None


def test_deleting_an_organisation_clears_its_members_rows(conference: Any) -> None:
    """Deleting it sets their `organisation` to NULL without saving them."""
    organisation = create_organisation(conference.attendee.user, name="Clinic", slug="clinic")
    set_affiliation(conference.attendee.user, organisation)
    _fill(conference)
    Organisation.objects.filter(pk=organisation.pk).delete()
    token = token_for(conference.attendee.token)
    assert token is not None and token.user.organisation_id is None


def test_changing_a_session_clears_the_sessions_rows(conference: Any) -> None:
    _fill(conference)
    session = Session.objects.get(pk=conference.session.pk)
    event_actions.update_session(
        conference.organiser.user,
        session,
        title="Opening keynote",
        kind=session.kind,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )
    assert len(SESSION_ROWS) == 0
    assert get_session_for(conference.attendee.user, session.pk).title == "Opening keynote"


def test_changing_an_event_clears_the_sessions_rows(conference: Any) -> None:
    _fill(conference)
    Event.objects.filter(pk=conference.event.pk).update(name="Renamed")
    assert get_session_for(conference.attendee.user, conference.session.pk).event.name == "Renamed"


def test_deleting_a_room_clears_the_sessions_rows(conference: Any) -> None:
    room = Room.objects.create(event=conference.event, name="Hall A")
    Session.objects.filter(pk=conference.session.pk).update(room=room)
    _fill(conference)
    assert get_session_for(conference.attendee.user, conference.session.pk).room == room
    room.delete()
    assert get_session_for(conference.attendee.user, conference.session.pk).room is None


def test_deleting_the_question_being_answered_clears_the_sessions_rows(conference: Any) -> None:
    question = ask(conference.attendee.user, conference.session, body="What next?").question
    pin(conference.organiser.user, conference.session, question)
    _fill(conference)
    assert get_session_for(conference.attendee.user, conference.session.pk).now_answering_id
    type(question).objects.filter(pk=question.pk).delete()
    session = get_session_for(conference.attendee.user, conference.session.pk)
    assert session.now_answering_id is None


def test_a_rolled_back_change_leaves_no_stale_row(conference: Any) -> None:
    _fill(conference)
    with pytest.raises(RuntimeError), transaction.atomic():
        Event.objects.filter(pk=conference.event.pk).update(name="Never")
        get_session_for(conference.attendee.user, conference.session.pk)
        raise RuntimeError
    assert get_session_for(conference.attendee.user, conference.session.pk).event.name == (
        "Test Conference"
    )


def _announcements() -> list[list[str]]:
    return [
        e.payload["models"]
        for e in StreamEvent.objects.filter(topic=CONTROL_TOPIC, type="rows.changed").order_by("pk")
    ]


def test_a_commit_announces_its_changes_to_the_other_processes_once(conference: Any) -> None:
    before = len(_announcements())
    with transaction.atomic():
        Event.objects.filter(pk=conference.event.pk).update(name="One")
        Event.objects.filter(pk=conference.event.pk).update(name="Two")
        User.objects.filter(pk=conference.attendee.user.pk).update(bio="Hello")
        assert len(_announcements()) == before  # nothing before the commit
    assert _announcements()[before:] == [["accounts.user", "events.event"]]


def test_an_announcement_clears_this_process_caches_of_those_models() -> None:
    rooms = rowcache.RowCache("rooms", [Room])
    organisations = rowcache.RowCache("organisations", [Organisation])
    for cache in (rooms, organisations):
        cache.get("k", lambda: (1,))
    subscriber = ControlSubscriber(Hub())
    subscriber.push(
        StreamMessage(id=1, topic=CONTROL_TOPIC, type="rows.changed", payload={"models": ["x.y"]})
    )
    assert len(rooms) == 1 and len(organisations) == 1
    # As the relay reads it back from the outbox: the payload as JSON text.
    subscriber.push(
        StreamMessage(
            id=2,
            topic=CONTROL_TOPIC,
            type="rows.changed",
            payload=None,
            payload_json='{"models": ["events.room"]}',
        )
    )
    assert len(rooms) == 0 and len(organisations) == 1


# Through the API, as a client sees it: the cached path answers what the database says.


def _poster(conference: Any) -> Callable[[str], Any]:
    client = Client(headers={"Authorization": f"Bearer {conference.attendee.token}"})
    path = f"/api/v1/sessions/{conference.session.pk}/posts"

    def post(body: str) -> Any:
        client_id = body.replace(" ", "-")
        data = {"body": body, "client_id": client_id}
        return client.post(path, data, content_type="application/json")

    return post


def test_a_revoked_token_is_refused_at_the_next_request(conference: Any) -> None:
    post = _poster(conference)
    assert post("first").status_code == 201
    assert post("second").status_code == 201
    ApiToken.objects.filter(user=conference.attendee.user).delete()
    assert post("third").status_code == 401


def test_a_post_carries_the_affiliation_saved_a_moment_before(conference: Any) -> None:
    post = _poster(conference)
    assert post("before").json()["author"]["affiliation"] == ""
    update_profile(
        conference.attendee.user,
        display_name="Ada",
        bio="",
        affiliation="Children's Clinic",
        disclaimer="",
    )
    assert post("after").json()["author"]["affiliation"] == "Children's Clinic"


def test_a_session_put_under_premoderation_holds_the_next_post(conference: Any) -> None:
    post = _poster(conference)
    assert post("open").status_code == 201
    Session.objects.filter(pk=conference.session.pk).update(premoderated=True)
    held = post("held")
    assert held.status_code == 202 and held.json()["status"] == "held"


def test_an_event_turned_join_code_hides_its_sessions_from_outsiders(conference: Any) -> None:
    client = Client(headers={"Authorization": f"Bearer {conference.outsider.token}"})
    path = f"/api/v1/sessions/{conference.session.pk}/posts"
    assert client.get(path).status_code == 200
    Event.objects.filter(pk=conference.event.pk).update(access=Event.Access.CODE)
    assert client.get(path).status_code == 404


def test_a_word_filter_added_or_removed_holds_from_the_next_post(conference: Any) -> None:
    from backchannel.moderation.actions import add_word_filter, remove_word_filter

    post = _poster(conference)
    assert post("crud one").status_code == 201
    assert post("crud two").status_code == 201  # the event's (no) filters are kept now
    row = add_word_filter(conference.organiser.user, conference.event, term="crud", action="block")
    blocked = post("crud three")
    assert blocked.status_code == 400 and blocked.json()["code"] == "blocked_term"
    remove_word_filter(conference.organiser.user, row)
    assert post("crud four").status_code == 201


def test_a_sanction_and_its_lifting_hold_from_the_next_post(conference: Any) -> None:
    from backchannel.moderation.actions import lift, sanction

    post = _poster(conference)
    assert post("one").status_code == 201
    assert post("two").status_code == 201  # where the attendee stands is kept now
    row = sanction(
        conference.organiser.user,
        conference.event,
        conference.attendee.user,
        kind="mute",
        reason="other",
        minutes=30,
    )
    muted = post("three")
    assert muted.status_code == 403 and muted.json()["code"] == "muted"
    lift(conference.organiser.user, row)
    assert post("four").status_code == 201


def test_a_sanction_that_ends_stops_holding_without_any_write(
    conference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a kept sanction is in force is decided at each read: rows are kept an hour
    here, so only the clock can let the next post through."""
    from backchannel.events.models import Sanction
    from backchannel.events.standing import _STANDING_ROWS

    monkeypatch.setattr(_STANDING_ROWS, "seconds", 3600)
    Sanction.objects.create(
        event=conference.event,
        user=conference.attendee.user,
        kind=Sanction.Kind.MUTE,
        reason="other",
        ends_at=timezone.now() + dt.timedelta(seconds=1),
    )
    post = _poster(conference)
    refused = post("while muted")
    assert refused.status_code == 403 and refused.json()["code"] == "muted"
    assert len(_STANDING_ROWS) == 1
    wait_until(lambda: post("after the mute").status_code == 201, "the mute to end")
    assert len(_STANDING_ROWS) == 1  # the same kept row, read again after the mute ended


def test_joining_and_a_new_role_hold_from_the_next_post(conference: Any) -> None:
    from backchannel.events.models import Registration

    client = Client(headers={"Authorization": f"Bearer {conference.outsider.token}"})
    path = f"/api/v1/sessions/{conference.session.pk}/posts"

    def post(body: str) -> Any:
        data = {"body": body, "client_id": body.replace(" ", "-")}
        return client.post(path, data, content_type="application/json")

    refused = post("not yet")
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_member"
    assert post("still not").status_code == 403  # kept: no place at the event
    event_actions.join_event(conference.outsider.user, conference.event)
    joined = post("now a member")
    assert joined.status_code == 201 and joined.json()["official"] is False
    Registration.objects.filter(user=conference.outsider.user, event=conference.event).update(
        role=Registration.Role.FACILITATOR
    )
    assert post("as staff").json()["official"] is True


def test_the_last_use_of_a_token_is_written_once_a_minute(conference: Any) -> None:
    """Writing when a token was last used is not a change the caches need to hear of, and
    does not clear them (it would, once a minute per token, in every process)."""
    ApiToken.objects.update(last_used_at=None)  # announced at once: autocommit
    before = len(_announcements())
    token = token_for(conference.attendee.token)
    assert token is not None
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    token_for(conference.attendee.token)  # re-read once, to see the time it wrote
    token_for(conference.attendee.token)
    assert len(_announcements()) == before
    assert dt.datetime.now(dt.UTC) - ApiToken.objects.get(pk=token.pk).last_used_at < (
        dt.timedelta(minutes=1)
    )


def test_kept_rows_build_the_orms_instances_afresh_for_each_request(conference: Any) -> None:
    """What is kept is the row's converted values; each read builds new instances from them,
    equal to the ORM's, so a request changing its instance changes nobody else's."""
    from tests.db.test_plain import same

    _fill(conference)
    first = get_session_for(conference.attendee.user, conference.session.pk)
    first.title = "Changed by one request"
    first.event.name = "Changed too"
    second = get_session_for(conference.attendee.user, conference.session.pk)
    assert len(SESSION_ROWS) == 1  # read from what was kept
    orm = Session.objects.select_related("event", "room").get(pk=conference.session.pk)
    same(second, orm)
    same(second.event, orm.event)
    token = token_for(conference.attendee.token)
    assert token is not None
    token.user.affiliation = "Changed by one request"
    again = token_for(conference.attendee.token)
    assert again is not None and again.user is not token.user
    orm_token = ApiToken.objects.select_related("user").get(pk=again.pk)
    same(again, orm_token)
    same(again.user, orm_token.user)


def test_values_that_could_change_in_place_are_never_shared() -> None:
    from backchannel.db import plain
    from backchannel.moderation.models import QueueItem

    assert not plain.columns(QueueItem, "q").shareable  # JSON: a list each reader could change
    with pytest.raises(ValueError, match="mutable"):
        plain.converted((1,) * plain.columns(QueueItem, "q").width, plain.columns(QueueItem, "q"))
