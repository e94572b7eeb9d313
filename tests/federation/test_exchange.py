"""Posts travel both ways (docs/federation.md): a server elsewhere follows a session, gets its
posts announced with valid signatures, replies, and its replies go through the caution check
and moderation like local posts. The other server is a small one on loopback
(tests/support/fediverse.py); the queue runs in the test (tests/support/tasks.py)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.support import http
from tests.support.fediverse import (
    PUBLIC,
    Peer,
    follow_session,
    send,
    session_actor,
    verify_our_signature,
)
from tests.support.tasks import run_queued

ACTIVITY = {"Accept": "application/activity+json"}


def test_unsigned_or_malformed_activities_are_refused_and_change_nothing(
    federating: Any, peer: Peer
) -> None:
    from backchannel.federation.models import Follow, Received

    inbox = f"{session_actor(federating)}ap/inbox/"
    follow_activity = peer.activity("ann", "Follow", session_actor(federating), 1)
    unsigned = http.post(inbox, json=follow_activity)
    assert unsigned.status_code == 401
    assert http.post(inbox, content=b"{not json", headers={"Content-Type": "x"}).status_code == 400
    assert http.post(inbox, json=["a list"]).status_code == 400
    # Signed by someone else's key: refused.
    body = json.dumps(follow_activity).encode()
    forged = peer.signed_cavage("bob", inbox, body)
    assert http.post(inbox, content=body, headers=forged).status_code == 401
    # Signed, then changed on the way.
    headers = peer.signed_cavage("ann", inbox, body)
    tampered = body.replace(b"Follow", b"Flag")
    assert http.post(inbox, content=tampered, headers=headers).status_code == 401
    assert http.get(inbox).status_code == 405
    assert not Received.objects.exists() and not Follow.objects.exists()


def test_a_remote_follow_is_accepted_and_new_posts_are_announced_signed(
    federating: Any, peer: Peer
) -> None:
    from backchannel.federation.actions import key_of
    from backchannel.federation.models import Follow

    follow_session(peer, federating)
    assert Follow.objects.count() == 1
    accept = [d for d in peer.received if d.activity["type"] == "Accept"]
    assert len(accept) == 1 and accept[0].path == "/users/ann/inbox"
    assert accept[0].activity["object"]["type"] == "Follow"
    session_key = key_of(federating.session).public_pem
    verify_our_signature(accept[0], session_key)
    # The followers collection counts them.
    followers = http.get(f"{session_actor(federating)}ap/followers/", headers=ACTIVITY).json()
    assert followers["totalItems"] == 1

    ada = federating.attendee.api(http.IN_PROCESS)
    posted = ada.post(
        f"/api/v1/sessions/{federating.session.pk}/posts",
        json={"body": "Great point about #resilience, @olive"},
    )
    assert posted.status_code == 201, posted.text
    post_id = posted.json()["id"]
    run_queued()
    announces = [d for d in peer.received if d.activity["type"] == "Announce"]
    assert len(announces) == 1
    announce = announces[0]
    assert announce.path == "/inbox"  # the server's shared inbox, once for all its followers
    assert announce.activity["actor"] == session_actor(federating)
    assert announce.activity["object"] == f"{http.IN_PROCESS}/posts/{post_id}/"
    assert PUBLIC in announce.activity["to"]
    verify_our_signature(announce, session_key)

    # Mastodon fetches the Note by its id: a Note by the author's Person, tagged.
    note = http.get(announce.activity["object"], headers=ACTIVITY)
    assert note.status_code == 200
    document = note.json()
    assert document["type"] == "Note"
    assert document["attributedTo"] == f"{http.IN_PROCESS}/u/ada/"
    assert document["audience"] == session_actor(federating)
    assert "resilience" in document["content"]
    assert f'href="{http.IN_PROCESS}/e/conf/tags/resilience/"' in document["content"]
    assert {"type": "Hashtag", "name": "#resilience"}.items() <= document["tag"][0].items()
    assert any(t["type"] == "Mention" and t["name"] == "@olive@testserver" for t in document["tag"])
    # Browsers asking for the post's address see it in its session's feed.
    page = http.get(f"{http.IN_PROCESS}/posts/{post_id}/")
    assert page.status_code == 302
    assert page.headers["location"].endswith(f"/s/{federating.session.pk}/#post-{post_id}")

    # Deleting it asks everyone who got it to drop their copy.
    assert ada.delete(f"/api/v1/posts/{post_id}").status_code in (200, 204)
    run_queued()
    deletes = [d for d in peer.received if d.activity["type"] == "Delete"]
    undos = [d for d in peer.received if d.activity["type"] == "Undo"]
    assert len(deletes) == 1 and deletes[0].activity["object"]["id"].endswith(f"/posts/{post_id}/")
    assert len(undos) == 1 and undos[0].activity["object"]["type"] == "Announce"
    verify_our_signature(deletes[0], key_of(federating.attendee.user).public_pem)
    gone = http.get(f"{http.IN_PROCESS}/posts/{post_id}/", headers=ACTIVITY)
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"


def test_people_who_keep_their_posts_here_are_not_sent(federating: Any, peer: Peer) -> None:
    follow_session(peer, federating)
    federating.attendee.user.federate_posts = False
    federating.attendee.user.save(update_fields=["federate_posts"])
    ada = federating.attendee.api(http.IN_PROCESS)
    post = ada.post(f"/api/v1/sessions/{federating.session.pk}/posts", json={"body": "Just here"})
    run_queued()
    assert not [d for d in peer.received if d.activity["type"] == "Announce"]
    note = http.get(f"{http.IN_PROCESS}/posts/{post.json()['id']}/", headers=ACTIVITY)
    assert note.status_code == 404


@pytest.mark.parametrize("rfc9421", [False, True], ids=["draft-cavage", "rfc9421"])
def test_a_remote_reply_becomes_a_post_in_the_session(
    federating: Any, peer: Peer, rfc9421: bool
) -> None:
    follow_session(peer, federating)
    note = peer.note(
        "ann",
        7,
        '<span class="h-card"><a href="x">@conf.1</a></span> Thanks, that helps!',
        cc=[session_actor(federating)],
    )
    answer = send(
        peer,
        f"{http.IN_PROCESS}/inbox/",
        peer.activity("ann", "Create", note, 7),
        rfc9421=rfc9421,
    )
    assert answer.status_code == 202, answer.text
    # The same activity again (servers retry) changes nothing.
    again = send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", note, 7))
    assert again.status_code == 202
    run_queued()
    feed = http.get(f"{http.IN_PROCESS}/api/v1/sessions/{federating.session.pk}/posts").json()
    bodies = [(p["author"]["handle"], p["body"]) for p in feed["posts"]]
    host = urlsplit(peer.base).netloc
    assert bodies == [(f"ann@{host}", "Thanks, that helps!")]
    # The session announces it to its followers (the author's server among them).
    announced = [d.activity["object"] for d in peer.received if d.activity["type"] == "Announce"]
    assert announced == [note["id"]]

    # Its author deletes it there: it goes here too.
    delete = peer.activity("ann", "Delete", {"id": note["id"], "type": "Tombstone"}, 8)
    assert send(peer, f"{http.IN_PROCESS}/inbox/", delete).status_code == 202
    run_queued()
    feed = http.get(f"{http.IN_PROCESS}/api/v1/sessions/{federating.session.pk}/posts").json()
    assert feed["posts"] == []
    from backchannel.feed.models import Post

    assert Post.objects.get().is_deleted
    # And the session takes back its Announce.
    undone = [d.activity["object"] for d in peer.received if d.activity["type"] == "Undo"]
    assert [u["object"] for u in undone] == [note["id"]]


def test_a_remote_post_the_caution_check_would_ask_about_waits_for_facilitators(
    federating: Any, peer: Peer
) -> None:
    from backchannel.feed.models import Post
    from backchannel.moderation.models import QueueItem

    text = "My daughter Emily Carter at Hillside Primary has anxiety, call me on 07700 900123"
    note = peer.note("ann", 9, text, cc=[session_actor(federating)])
    answer = send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", note, 9))
    assert answer.status_code == 202
    run_queued()
    post = Post.objects.get()
    assert post.status == Post.Status.HELD
    assert QueueItem.objects.filter(post=post).exists()
    feed = http.get(f"{http.IN_PROCESS}/api/v1/sessions/{federating.session.pk}/posts").json()
    assert feed["posts"] == []


def test_nothing_arrives_from_a_blocked_server_or_in_an_event_that_does_not_federate(
    federating: Any, peer: Peer
) -> None:
    from backchannel.federation.models import Instance, Received
    from backchannel.feed.models import Post

    note = peer.note("ann", 3, "Hello", cc=[session_actor(federating)])
    Instance.objects.create(domain=urlsplit(peer.base).netloc, policy=Instance.Policy.BLOCK)
    blocked = send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", note, 3))
    assert blocked.status_code == 403
    Instance.objects.all().delete()
    federating.event.federates = False
    federating.event.save(update_fields=["federates"])
    send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", note, 4))
    run_queued()
    assert not Post.objects.exists()
    assert Received.objects.get().state == Received.State.DONE


def test_staff_block_a_server_and_facilitators_suspend_a_remote_person(
    federating: Any, peer: Peer, make_person: Any
) -> None:
    """Moderation across servers: a suspended remote person's posts are refused at the event;
    a blocked server gets nothing and is refused; both are in the audit logs."""
    from backchannel.federation.models import Follow, ServerDecision
    from backchannel.feed.models import Post
    from backchannel.moderation.actions import sanction
    from tests.support.web import PageSession

    follow_session(peer, federating)
    host = urlsplit(peer.base).netloc
    first = peer.note("ann", 20, "Hello from afar", cc=[session_actor(federating)])
    send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", first, 20))
    run_queued()
    ann = Post.objects.get().author
    assert ann.username == f"ann@{host}" and ann.is_remote
    sanction(federating.organiser.user, federating.event, ann, kind="suspend", reason="harassment")
    second = peer.note("ann", 21, "Still here", cc=[session_actor(federating)])
    send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", second, 21))
    run_queued()
    assert Post.objects.count() == 1

    staff = make_person("sian", name="Site Staff")
    staff.user.is_staff = True
    staff.user.save(update_fields=["is_staff"])
    page = PageSession(http.IN_PROCESS)
    page.login("sian", PASSWORD)
    assert page.get("/federation/servers/").status_code == 200
    decided = page.submit(
        "/federation/servers/", {"domain": host, "policy": "block", "reason": "Harassment"}
    )
    assert decided.status_code == 302
    listing = page.get("/federation/servers/").text
    assert host in listing and "Harassment" in listing
    assert not Follow.objects.exists()  # its follows ended: nothing more is sent there
    assert ServerDecision.objects.get().policy == "block"
    third = peer.note("ann", 22, "Once more", cc=[session_actor(federating)])
    refused = send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", third, 22))
    assert refused.status_code == 403
    # Nobody else may see or change it.
    other = PageSession(http.IN_PROCESS)
    other.login(federating.organiser.handle, PASSWORD)
    assert other.get("/federation/servers/").status_code == 404


def test_in_allow_list_mode_only_allowed_servers_take_part(
    federating: Any, peer: Peer, settings: Any
) -> None:
    from backchannel.federation.models import Instance

    settings.BACKCHANNEL_FEDERATION_ALLOWLIST = True
    target = session_actor(federating)
    refused = send(peer, f"{target}ap/inbox/", peer.activity("ann", "Follow", target, 1))
    assert refused.status_code == 403
    Instance.objects.create(domain=urlsplit(peer.base).netloc, policy=Instance.Policy.ALLOW)
    follow_session(peer, federating)
    assert [d.activity["type"] for d in peer.received] == ["Accept"]


def test_a_server_that_fails_is_tried_again_later_and_gets_each_activity_once(
    federating: Any, peer: Peer
) -> None:
    """Delivery survives faults: a server answering 503 keeps its delivery pending with a
    growing wait; when it answers again the activity arrives once. A delivery a killed worker
    held is taken again only when its lease has run out."""
    import datetime as dt

    from django.utils import timezone

    from backchannel.federation import delivery as sending
    from backchannel.federation.models import Delivery

    follow_session(peer, federating)
    peer.answer_status = 503
    ada = federating.attendee.api(http.IN_PROCESS)
    ada.post(f"/api/v1/sessions/{federating.session.pk}/posts", json={"body": "Through a storm"})
    run_queued()
    pending = Delivery.objects.get(activity__kind="Announce")
    assert pending.state == Delivery.State.PENDING and pending.attempts == 1
    assert pending.next_attempt_at > timezone.now() + dt.timedelta(seconds=20)
    assert "503" in pending.last_error
    assert sending.deliver_due() == 0  # not due yet: nothing is sent

    # The server is back; the retry comes due.
    peer.answer_status = 202
    Delivery.objects.filter(pk=pending.pk).update(next_attempt_at=timezone.now())
    # A worker took it and was killed: until its lease runs out, nobody else sends it.
    Delivery.objects.filter(pk=pending.pk).update(
        leased_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert sending.deliver_due() == 0
    Delivery.objects.filter(pk=pending.pk).update(
        leased_until=timezone.now() - dt.timedelta(seconds=1)
    )
    before = len(peer.received)
    assert sending.deliver_due() == 1
    assert sending.deliver_due() == 0
    pending.refresh_from_db()
    assert pending.state == Delivery.State.DELIVERED and pending.attempts == 2
    announces = [d for d in peer.received[before:] if d.activity["type"] == "Announce"]
    assert len(announces) == 1
    # Every attempt carried the same activity (same id): a receiver that got it twice can tell.
    ids = {d.activity["id"] for d in peer.received if d.activity["type"] == "Announce"}
    assert len(ids) == 1


def test_a_server_that_refuses_for_good_is_given_up_and_shown_to_staff(
    federating: Any, peer: Peer
) -> None:
    from backchannel.federation.models import Delivery
    from backchannel.federation.queries import servers_overview

    follow_session(peer, federating)
    peer.answer_status = 410
    ada = federating.attendee.api(http.IN_PROCESS)
    ada.post(f"/api/v1/sessions/{federating.session.pk}/posts", json={"body": "Into the void"})
    run_queued()
    dead = Delivery.objects.get(activity__kind="Announce")
    assert dead.state == Delivery.State.DEAD and "410" in dead.last_error
    assert [d.pk for d in servers_overview().dead] == [dead.pk]


def test_likes_and_reports_cross_over(federating: Any, peer: Peer) -> None:
    from backchannel.feed.models import Post
    from backchannel.moderation.models import Report

    follow_session(peer, federating)
    ada = federating.attendee.api(http.IN_PROCESS)
    posted = ada.post(f"/api/v1/sessions/{federating.session.pk}/posts", json={"body": "Like me"})
    post_id = posted.json()["id"]
    ours = f"{http.IN_PROCESS}/posts/{post_id}/"
    like = peer.activity("ann", "Like", ours, 30)
    assert send(peer, f"{http.IN_PROCESS}/inbox/", like).status_code == 202
    flag = peer.activity("ann", "Flag", [ours], 31)
    flag["content"] = "Looks like spam"
    assert send(peer, f"{http.IN_PROCESS}/inbox/", flag).status_code == 202
    run_queued()
    assert Post.objects.get(pk=post_id).like_count == 1
    report = Report.objects.get()
    assert "Looks like spam" in report.note and report.post_id == post_id
    undo = peer.activity("ann", "Undo", like, 32)
    send(peer, f"{http.IN_PROCESS}/inbox/", undo)
    run_queued()
    assert Post.objects.get(pk=post_id).like_count == 0

    # A like here of a post from there is a Like to its author.
    note = peer.note("ann", 33, "A remote thought", cc=[session_actor(federating)])
    send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", note, 33))
    run_queued()
    remote_post = Post.objects.get(remote__uri=note["id"])
    liked = ada.put(f"/api/v1/posts/{remote_post.pk}/reactions/like")
    assert liked.status_code == 200, liked.text
    run_queued()
    likes = [d for d in peer.received if d.activity["type"] == "Like"]
    assert len(likes) == 1 and likes[0].activity["object"] == note["id"]
    assert likes[0].path == "/users/ann/inbox"


def test_a_deletion_never_overtakes_what_it_deletes(federating: Any, peer: Peer) -> None:
    """A server that was down gets what waited for it in the order it was made: the Announce
    before the Undo and the Delete that take it back."""
    from django.utils import timezone

    from backchannel.federation import delivery as sending
    from backchannel.federation.models import Delivery

    follow_session(peer, federating)
    peer.answer_status = 503
    ada = federating.attendee.api(http.IN_PROCESS)
    ids = []
    for number in range(3):
        posted = ada.post(
            f"/api/v1/sessions/{federating.session.pk}/posts", json={"body": f"Oops {number}"}
        )
        ids.append(posted.json()["id"])
    run_queued()
    for post_id in ids:
        ada.delete(f"/api/v1/posts/{post_id}")
    run_queued()
    peer.answer_status = 202
    peer.received.clear()
    Delivery.objects.update(next_attempt_at=timezone.now())
    while sending.deliver_due():
        pass
    for post_id in ids:
        note = f"{http.IN_PROCESS}/posts/{post_id}/"
        kinds = [d.activity["type"] for d in peer.received if f'"{note}"' in d.body.decode()]
        assert sorted(kinds) == ["Announce", "Delete", "Undo"], kinds
        assert kinds[0] == "Announce", kinds


def test_direct_messages_never_go_to_someone_elsewhere(federating: Any, peer: Peer) -> None:
    from backchannel.messaging.models import Message

    note = peer.note("ann", 40, "Hi all", cc=[session_actor(federating)])
    send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", note, 40))
    run_queued()
    handle = f"ann@{urlsplit(peer.base).netloc}"
    profile = http.get(f"{http.IN_PROCESS}/u/{handle}/")
    assert profile.status_code == 200 and "another fediverse server" in profile.text
    ada = federating.attendee.api(http.IN_PROCESS)
    sent = ada.post(f"/api/v1/dms/{handle}", json={"body": "psst"})
    assert sent.status_code == 403, sent.text
    assert "never leave" in sent.json()["detail"]
    assert not Message.objects.exists()


def test_our_requests_for_documents_are_signed_by_the_site(federating: Any, peer: Peer) -> None:
    """For servers in "authorized fetch" mode: we fetch their actors signed by our site's own
    actor (`/actor`, an Application, as Mastodon's instance actor), which WebFinger names."""
    site_actor = http.get(f"{http.IN_PROCESS}/actor", headers=ACTIVITY).json()
    assert site_actor["type"] == "Application"
    key_id = site_actor["publicKey"]["id"]
    jrd = http.get(
        f"{http.IN_PROCESS}/.well-known/webfinger",
        params={"resource": f"acct:{site_actor['preferredUsername']}@testserver"},
    ).json()
    assert [link["href"] for link in jrd["links"]] == [site_actor["id"]]
    peer.signed_fetch_key = lambda kid: (
        site_actor["publicKey"]["publicKeyPem"] if kid == key_id else ""
    )
    follow_session(peer, federating)  # we fetch ann's actor to check the Follow's signature
    assert peer.fetches and all(f.headers.get("signature") for f in peer.fetches)
    assert [d.activity["type"] for d in peer.received] == ["Accept"]
    # Browsers asking for /actor are shown what the site is.
    assert http.get(f"{http.IN_PROCESS}/actor").status_code == 302


def test_posts_from_elsewhere_are_limited_per_person_and_per_server(
    federating: Any, peer: Peer, settings: Any
) -> None:
    """The posting limits count a remote person like anyone, and their whole server as one
    address: one server cannot flood a session through many accounts."""
    from backchannel.federation.models import Received
    from backchannel.feed.models import Post

    settings.BACKCHANNEL_RATE_POST = "2/minute"
    settings.BACKCHANNEL_RATE_POST_IP = "3/minute"
    inbox = f"{http.IN_PROCESS}/inbox/"
    for number in range(3):
        note = peer.note("ann", 50 + number, f"Ann {number}", cc=[session_actor(federating)])
        send(peer, inbox, peer.activity("ann", "Create", note, 50 + number))
    for number in range(2):
        note = peer.note("bob", 60 + number, f"Bob {number}", cc=[session_actor(federating)])
        send(peer, inbox, peer.activity("bob", "Create", note, 60 + number))
    run_queued()
    assert sorted(Post.objects.values_list("body", flat=True)) == ["Ann 0", "Ann 1", "Bob 0"]
    refused = Received.objects.filter(state=Received.State.REFUSED)
    assert refused.count() == 2
    assert all("quickly" in r.outcome for r in refused)


def test_remote_fetches_never_reach_private_addresses(settings: Any, peer: Peer) -> None:
    """A remote server naming a private, loopback or link-local address (directly, or by a
    name that resolves to one) must not make us probe our own network."""
    from backchannel.federation import fetch

    settings.BACKCHANNEL_FEDERATION_ALLOW_PRIVATE = False
    for address in (
        f"{peer.base}/users/ann",
        "http://localhost:9/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/x",
        "http://[::1]:9/x",
        "ftp://example.org/x",
    ):
        with pytest.raises(fetch.FetchError):
            fetch.get_json(address)
    assert peer.fetches == []  # nothing reached the loopback server
    settings.BACKCHANNEL_FEDERATION_ALLOW_PRIVATE = True
    assert fetch.get_json(f"{peer.base}/users/ann")["preferredUsername"] == "ann"


def test_old_bookkeeping_is_pruned_but_what_a_deletion_needs_stays(
    federating: Any, peer: Peer, capsys: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from backchannel.cli import main
    from backchannel.federation.models import Activity, Received

    follow_session(peer, federating)  # received: the Follow; sent: the Accept
    ada = federating.attendee.api(http.IN_PROCESS)
    ada.post(f"/api/v1/sessions/{federating.session.pk}/posts", json={"body": "Kept"})
    run_queued()  # sent: the Announce, about a post
    long_ago = timezone.now() - dt.timedelta(days=31)
    Received.objects.update(received_at=long_ago)
    Activity.objects.update(created_at=long_ago)
    assert main(["prune"]) == 0
    assert "1 received and 1 sent federation records deleted" in capsys.readouterr().out
    assert not Received.objects.exists()
    assert list(Activity.objects.values_list("kind", flat=True)) == ["Announce"]


def test_crisis_language_from_elsewhere_is_an_urgent_item_for_facilitators(
    federating: Any, peer: Peer
) -> None:
    from backchannel.feed.models import Post
    from backchannel.moderation.models import QueueItem

    note = peer.note(
        "ann", 70, "Honestly I don't want to be alive anymore", cc=[session_actor(federating)]
    )
    send(peer, f"{http.IN_PROCESS}/inbox/", peer.activity("ann", "Create", note, 70))
    run_queued()
    post = Post.objects.get()
    item = QueueItem.objects.get(post=post)
    assert item.urgent and "crisis" in item.signals


def test_an_activity_left_half_written_is_finished_by_the_next_run(
    federating: Any, peer: Peer
) -> None:
    """Deliveries are written in small transactions after their activity: a worker killed in
    between leaves the activity not yet expanded, and the next run writes the rest and sends
    them, each once."""
    from backchannel.federation import objects
    from backchannel.federation.actions import key_of
    from backchannel.federation.models import Activity, Delivery
    from backchannel.federation.tasks import deliver_due

    session = federating.session
    inboxes = [f"{peer.base}/users/u{n}/inbox" for n in range(5)]
    document = objects.follow(session, f"{peer.base}/users/ann")
    activity = Activity.objects.create(
        uri=document["id"],
        kind="Follow",
        sender=key_of(session),
        document=document,
        recipients=inboxes,
        expanded=False,
    )
    # Two of five rows were written before the worker died.
    from django.utils import timezone

    Delivery.objects.bulk_create(
        [
            Delivery(activity=activity, inbox=inbox, domain="x", next_attempt_at=timezone.now())
            for inbox in inboxes[:2]
        ]
    )
    deliver_due.enqueue()
    run_queued()
    activity.refresh_from_db()
    assert activity.expanded
    assert Delivery.objects.filter(activity=activity, state="delivered").count() == 5
    assert sorted(d.path for d in peer.received) == sorted(urlsplit(i).path for i in inboxes)
