"""Posts travel both ways (docs/federation.md): a server elsewhere follows a session, gets its
posts announced with valid signatures, replies, and its replies go through the caution check
and moderation like local posts. The other server is a small one on loopback
(tests/support/fediverse.py); the queue runs in the test (tests/support/tasks.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from tests.support import http
from tests.support.fediverse import PUBLIC, Delivered, Peer, start_peer
from tests.support.tasks import run_queued

ACTIVITY = {"Accept": "application/activity+json"}


@pytest.fixture
def peer() -> Iterator[Peer]:
    server = start_peer()
    yield server
    server.server.shutdown()


@pytest.fixture
def federating(site: str, settings: Any, conference: Any) -> Any:
    settings.BACKCHANNEL_SITE_URL = site
    settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP = True
    settings.BACKCHANNEL_FEDERATION_ALLOW_PRIVATE = True  # the peer is on loopback
    conference.event.federates = True
    conference.event.save(update_fields=["federates"])
    return conference


def session_actor(conference: Any) -> str:
    return f"{http.IN_PROCESS}/e/conf/s/{conference.session.pk}/"


def send(peer: Peer, inbox: str, activity: dict[str, Any], *, rfc9421: bool = False) -> Any:
    body = json.dumps(activity).encode()
    name = activity["actor"].rsplit("/", 1)[1]
    sign = peer.signed_rfc9421 if rfc9421 else peer.signed_cavage
    return http.post(inbox, content=body, headers=sign(name, inbox, body))


def verify_our_signature(delivered: Delivered, public_pem: str) -> None:
    """Check a delivery's draft-cavage signature as Mastodon does, independently of our code."""
    fields = dict(
        part.split("=", 1) for part in delivered.headers["signature"].replace('"', "").split(",")
    )
    assert fields["algorithm"] == "rsa-sha256"
    covered = fields["headers"].split()
    assert {"(request-target)", "host", "date", "digest"} <= set(covered)
    lines = [
        f"(request-target): post {delivered.path}"
        if name == "(request-target)"
        else f"{name}: {delivered.headers[name]}"
        for name in covered
    ]
    key: Any = load_pem_public_key(public_pem.encode())
    key.verify(
        base64.b64decode(fields["signature"]),
        "\n".join(lines).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    import hashlib

    expected = base64.b64encode(hashlib.sha256(delivered.body).digest()).decode()
    assert delivered.headers["digest"] == f"SHA-256={expected}"


def follow(peer: Peer, conference: Any, name: str = "ann") -> None:
    target = session_actor(conference)
    answer = send(peer, f"{target}ap/inbox/", peer.activity(name, "Follow", target, 1))
    assert answer.status_code == 202, answer.text
    run_queued()


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

    follow(peer, federating)
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
    follow(peer, federating)
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
    follow(peer, federating)
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
