"""The conversation across servers, live (docs/federation.md): a remote account follows a
session on the running server, gets a new post announced with a signature it checks by
fetching our key over HTTP as Mastodon does, replies, and the reply reaches the session's
readers over SSE with its author's handle and server. The queue runs in django-tasks-db's own
worker loop (backchannel/worker.py), in the test's thread."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from tests.support import http
from tests.support.fediverse import Peer, send, verify_our_signature
from tests.support.sse import SSEStream
from tests.support.tasks import run_worker_until_done
from tests.support.wait import wait_for_subscribers, wait_until

ACTIVITY = {"Accept": "application/activity+json"}


def test_a_remote_reply_reaches_the_session_live(
    live: str, federating_live: Any, peer: Peer
) -> None:
    session = federating_live.session
    group = f"{live}/e/conf/s/{session.pk}/"
    answer = send(peer, f"{group}ap/inbox/", peer.activity("ann", "Follow", group, 1))
    assert answer.status_code == 202, answer.text
    run_worker_until_done()
    assert [d.activity["type"] for d in peer.received] == ["Accept"]

    ada = federating_live.attendee.api(live)
    posted = ada.post(f"/api/v1/sessions/{session.pk}/posts", json={"body": "Live from the hall"})
    assert posted.status_code == 201
    run_worker_until_done()
    announce = next(d for d in peer.received if d.activity["type"] == "Announce")
    # As Mastodon checks it: the key named in the signature, fetched from its actor document.
    key_id = announce.headers["signature"].split('keyId="', 1)[1].split('"', 1)[0]
    actor = http.get(key_id.split("#", 1)[0], headers=ACTIVITY).json()
    assert actor["publicKey"]["id"] == key_id
    verify_our_signature(announce, actor["publicKey"]["publicKeyPem"])

    with SSEStream(f"{live}/api/v1/sessions/{session.pk}/stream") as stream:
        wait_for_subscribers(session.topic, 1)
        note = peer.note(
            "ann", 2, "Thank you from across the fediverse", inReplyTo=announce.activity["object"]
        )
        reply = send(peer, f"{live}/inbox/", peer.activity("ann", "Create", note, 2))
        assert reply.status_code == 202
        run_worker_until_done()
        event = stream.next(timeout=10)
        assert event.type == "post.created"
        post = json.loads(event.data)["post"]
        assert post["author"]["handle"] == f"ann@{urlsplit(peer.base).netloc}"
        assert post["body"] == "Thank you from across the fediverse"
        assert post["reply_to"] == posted.json()["id"]

    # The session announces the reply to its followers too.
    wait_until(
        lambda: any(
            d.activity["type"] == "Announce" and d.activity["object"] == note["id"]
            for d in peer.received
        ),
        "the reply's Announce",
    )
