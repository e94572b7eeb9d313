"""Notifications through the running server: mentions, replies and follows arrive live on
the person's private stream and in the list, respect their settings, blocks and mutes, never
reveal a post that is not shown, and reach them by e-mail digest when they asked."""

from __future__ import annotations

from typing import Any

import pytest

from backchannel.notifications.models import Notification
from tests.support import http
from tests.support.sse import SSEStream


def _stream(live: str, person: Any) -> SSEStream:
    return SSEStream(
        f"{live}/api/v1/me/stream", headers={"Authorization": f"Bearer {person.token}"}
    )


def _post(live: str, person: Any, session_id: int, body: str, **extra: Any) -> dict[str, Any]:
    with person.api(live) as client:
        response = client.post(f"/api/v1/sessions/{session_id}/posts", json={"body": body, **extra})
    assert response.status_code in (201, 202), response.text
    return dict(response.json())


def _listed(live: str, person: Any) -> dict[str, Any]:
    with person.api(live) as client:
        return dict(client.get("/api/v1/notifications").json())


def test_a_mention_and_a_reply_arrive_live(live: str, conference: Any) -> None:
    olive, ada = conference.organiser, conference.attendee
    session = conference.session.pk
    with _stream(live, ada) as stream:
        post = _post(live, olive, session, "Welcome @ada, glad you are here")
        event = stream.next()
        assert event.type == "notification.created"
        assert event.json["kind"] == "mention"
        assert event.json["text"] == "Olive Organiser (@olive) mentioned you in Keynote."
        assert event.json["url"] == f"/e/conf/s/{session}/#post-{post['id']}"
        assert event.json["unread"] == 1

        mine = _post(live, ada, session, "My own first post")
        _post(live, olive, session, "Good point", reply_to=mine["id"])
        event = stream.next()
        assert event.json["kind"] == "reply"
        assert event.json["unread"] == 2

    listed = _listed(live, ada)
    assert listed["unread"] == 2
    assert [n["kind"] for n in listed["notifications"]] == ["reply", "mention"]
    with ada.api(live) as client:
        assert client.post("/api/v1/notifications/read", json={}).json() == {
            "marked": 2,
            "unread": 0,
        }
    # Nobody is told of their own doing.
    _post(live, ada, session, "Talking to myself, @ada")
    assert _listed(live, ada)["unread"] == 0


def test_nothing_comes_from_muted_or_blocked_people(
    site: str, conference: Any, make_person: Any
) -> None:
    from backchannel.events.actions import join_event

    amy = make_person("amy")
    join_event(amy.user, conference.event)
    ada = conference.attendee
    with ada.api(site) as client:
        client.put("/api/v1/users/amy/mute")
    _post(site, amy, conference.session.pk, "Hey @ada")
    assert _listed(site, ada)["notifications"] == []
    with ada.api(site) as client:
        client.delete("/api/v1/users/amy/mute")
        client.put("/api/v1/users/amy/block")
    _post(site, amy, conference.session.pk, "Hey again @ada")
    assert _listed(site, ada)["notifications"] == []
    with ada.api(site) as client:
        client.delete("/api/v1/users/amy/block")
    _post(site, amy, conference.session.pk, "Third time @ada")
    assert len(_listed(site, ada)["notifications"]) == 1


def test_a_hidden_post_leaves_the_notifications(site: str, conference: Any) -> None:
    from backchannel.feed.models import Post
    from backchannel.moderation.actions import hide_post

    post = _post(site, conference.organiser, conference.session.pk, "Hello @ada")
    assert len(_listed(site, conference.attendee)["notifications"]) == 1
    # (A facilitator hides another's post; here the organiser hides their own for brevity.)
    hide_post(conference.organiser.user, Post.objects.get(pk=post["id"]), reason="spam")
    assert _listed(site, conference.attendee) == {"unread": 0, "notifications": []}


def test_people_outside_a_join_code_event_are_not_told(site: str, make_person: Any) -> None:
    import datetime as dt

    from backchannel.events import actions as events
    from backchannel.events.queries import lobby_of

    olive, stranger = make_person("olive"), make_person("stranger")
    event = events.create_event(
        olive.user,
        slug="closed",
        name="Closed",
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 1),
        access="code",
    )
    _post(site, olive, lobby_of(event).pk, "Should we invite @stranger?")
    assert _listed(site, stranger)["notifications"] == []


def test_a_held_post_notifies_only_once_approved(
    site: str, conference: Any, make_person: Any
) -> None:
    from backchannel.feed.models import Post
    from backchannel.moderation.actions import approve_post, set_session_moderation

    set_session_moderation(
        conference.organiser.user, conference.session, premoderated=True, slow_mode_seconds=0
    )
    amy = make_person("amy", name="Amy")
    from backchannel.events.actions import join_event

    join_event(amy.user, conference.event)
    held = _post(site, amy, conference.session.pk, "Question for @olive later")
    assert held["status"] == "held"
    assert _listed(site, conference.organiser)["notifications"] == []
    approve_post(conference.organiser.user, Post.objects.get(pk=held["id"]))
    kinds = [n["kind"] for n in _listed(site, conference.organiser)["notifications"]]
    assert kinds == ["mention"]
    # The author heard of both the hold and the approval, in the same centre.
    author_kinds = [n["kind"] for n in _listed(site, amy)["notifications"]]
    assert author_kinds == ["moderation", "moderation"]


def test_follows_notify_and_settings_turn_kinds_off(site: str, make_person: Any) -> None:
    ada, amy = make_person("ada"), make_person("amy", name="Amy")
    with amy.api(site) as client:
        client.put("/api/v1/users/ada/follow")
    assert [n["text"] for n in _listed(site, ada)["notifications"]] == ["Amy (@amy) followed you."]
    with ada.api(site) as client:
        changed = client.put(
            "/api/v1/me/notification-settings", json={"follow": {"in_app": False, "email": False}}
        )
        assert changed.status_code == 200
        assert changed.json()["follow"] == {"in_app": False, "email": False}
        # Direct messages and moderation always show in the app.
        forced = client.put(
            "/api/v1/me/notification-settings",
            json={"moderation": {"in_app": False, "email": False}},
        ).json()
        assert forced["moderation"]["in_app"] is True
        bad = client.put("/api/v1/me/notification-settings", json={"nonsense": {}})
        assert bad.status_code in (400, 422)
    with amy.api(site) as client:
        client.delete("/api/v1/users/ada/follow")
        client.put("/api/v1/users/ada/follow")
    assert len(_listed(site, ada)["notifications"]) == 1


def test_the_email_digest_lists_what_is_unseen_and_never_quotes_messages(
    site: str, conference: Any, make_person: Any, settings: Any
) -> None:
    from django.core import mail

    from backchannel.messaging.actions import send_message
    from backchannel.notifications.digest import send_digests

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ada = conference.attendee
    ada.user.email = "ada@example.org"
    ada.user.save()
    _post(site, conference.organiser, conference.session.pk, "Thanks @ada for the question")
    amy = make_person("amy")
    send_message(amy.user, "ada", body="The secret plan for Thursday")
    assert send_digests() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Olive Organiser (@olive) mentioned you in Keynote." in body
    assert "1 unread direct message(s) from @amy (1)" in body
    assert "secret plan" not in body
    # Sent once: the next run has nothing new.
    assert send_digests() == 0
    assert Notification.objects.filter(emailed_at=None).count() == 0


@pytest.mark.parametrize("path", ["/api/v1/notifications", "/api/v1/me/notification-settings"])
def test_notifications_need_an_account(site: str, path: str) -> None:

    assert http.get(f"{site}{path}").status_code == 401


def test_the_notification_centre_page_marks_what_was_new(site: str, conference: Any) -> None:
    from tests.conftest import PASSWORD
    from tests.support.web import PageSession

    _post(site, conference.organiser, conference.session.pk, "Hello @ada")
    page = PageSession(site)
    page.login("ada", PASSWORD)
    first = page.get("/notifications/").text
    assert "mentioned you in Keynote" in first and "notification--unread" in first
    assert "notification--unread" not in page.get("/notifications/").text


def test_a_post_tells_people_in_the_order_of_their_ids(site: str, conference: Any) -> None:
    """Each notification takes its person's stream lock until commit (on PostgreSQL): posts
    that told the same two people in opposite orders deadlocked under load."""
    from backchannel.events.actions import join_event
    from backchannel.realtime.models import StreamEvent

    olive, ada = conference.organiser, conference.attendee
    assert olive.user.pk < ada.user.pk
    join_event(conference.outsider.user, conference.event)
    root = _post(site, ada, conference.session.pk, "Who runs the family panel?")
    # The parent's author (ada) used to be told first; the person mentioned (olive) has the
    # lower id.
    _post(site, conference.outsider, conference.session.pk, "@olive does", reply_to=root["id"])
    told = list(
        StreamEvent.objects.filter(type="notification.created")
        .order_by("pk")
        .values_list("topic", flat=True)
    )
    assert told == [f"user:{olive.user.pk}", f"user:{ada.user.pk}"]
    kinds = Notification.objects.order_by("pk").values_list("user_id", "kind")
    assert list(kinds) == [(olive.user.pk, "mention"), (ada.user.pk, "reply")]
