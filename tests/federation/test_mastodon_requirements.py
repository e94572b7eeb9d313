"""What Mastodon needs of our documents and requests, one requirement per check, as its
FEDERATION.md and docs (docs.joinmastodon.org/spec/activitypub, /spec/webfinger,
/spec/security) state them. The actor's own requirements are in test_discovery.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import http
from tests.support.fediverse import PUBLIC, Peer, follow_session, verify_our_signature
from tests.support.tasks import run_queued

ACTIVITY = {"Accept": "application/activity+json"}


def _post(conference: Any, body: str, **fields: Any) -> int:
    ada = conference.attendee.api(http.IN_PROCESS)
    answer = ada.post(
        f"/api/v1/sessions/{conference.session.pk}/posts", json={"body": body, **fields}
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


@pytest.fixture
def delivered(federating: Any, peer: Peer) -> list[Any]:
    follow_session(peer, federating)
    first = _post(federating, "Opening words #welcome")
    _post(federating, "A reply", reply_to=first)
    run_queued()
    return peer.received


def test_webfinger_round_trip(federating: Any) -> None:
    """Each actor maps back to exactly one acct: URI: Mastodon fingers
    `preferredUsername@<host of the actor id>` and requires the `self` link to be the actor."""
    for actor_url in (
        f"{http.IN_PROCESS}/u/ada/",
        f"{http.IN_PROCESS}/e/conf/",
        f"{http.IN_PROCESS}/e/conf/s/{federating.session.pk}/",
    ):
        actor = http.get(actor_url, headers=ACTIVITY).json()
        jrd = http.get(
            f"{http.IN_PROCESS}/.well-known/webfinger",
            params={"resource": f"acct:{actor['preferredUsername']}@testserver"},
        ).json()
        selves = [link["href"] for link in jrd["links"] if link["rel"] == "self"]
        assert selves == [actor["id"]]


def test_every_post_request_is_signed_with_a_digest(delivered: list[Any], federating: Any) -> None:
    """Mastodon requires all POST requests to be signed, covering (request-target), host,
    date and digest, by a key whose id is in the sending actor's document."""
    assert delivered
    for request in delivered:
        activity = json.loads(request.body)
        actor = http.get(activity["actor"], headers=ACTIVITY).json()
        key_id = request.headers["signature"].split('keyId="', 1)[1].split('"', 1)[0]
        assert key_id == actor["publicKey"]["id"]
        verify_our_signature(request, actor["publicKey"]["publicKeyPem"])
        assert request.headers["content-type"].startswith("application/activity+json")


def test_a_note_is_what_mastodon_shows_as_a_public_status(
    delivered: list[Any], federating: Any
) -> None:
    """A Note needs id, attributedTo (an actor on the same server), content, published, and
    the Public collection in `to` to be shown as public; hashtags are `Hashtag` tags named
    with their `#`; a reply's `inReplyTo` is the id of the Note it answers."""
    notes = [
        http.get(r.activity["object"], headers=ACTIVITY).json()
        for r in delivered
        if r.activity["type"] == "Announce" and "/s/" in r.activity["actor"]
    ]
    assert len(notes) == 2
    first, reply = sorted(notes, key=lambda note: note["inReplyTo"] is not None)
    for note in notes:
        assert note["type"] == "Note"
        assert note["attributedTo"].startswith(f"{http.IN_PROCESS}/u/")
        assert note["published"] and note["content"]
        assert PUBLIC in note["to"]
        assert note["url"] == note["id"]
    assert [t["name"] for t in first["tag"] if t["type"] == "Hashtag"] == ["#welcome"]
    assert reply["inReplyTo"] == first["id"]


def test_an_announce_is_a_boost(delivered: list[Any]) -> None:
    """An Announce needs an actor, the object's id, and Public in `to` (a public boost)."""
    announces = [r.activity for r in delivered if r.activity["type"] == "Announce"]
    assert announces
    for announce in announces:
        assert announce["object"].startswith(f"{http.IN_PROCESS}/posts/")
        assert PUBLIC in announce["to"]
        assert announce["cc"] == [f"{announce['actor']}ap/followers/"]
        assert announce["id"].startswith(f"{http.IN_PROCESS}/")


def test_an_accept_names_the_follow_it_accepts(federating: Any, peer: Peer) -> None:
    """Mastodon matches an Accept to its pending Follow by the Follow's id in `object`."""
    follow_session(peer, federating)
    accept = next(r.activity for r in peer.received if r.activity["type"] == "Accept")
    assert accept["object"]["id"].endswith("/activities/follow-1")
    assert accept["object"]["type"] == "Follow"
    assert accept["actor"] == f"{http.IN_PROCESS}/e/conf/s/{federating.session.pk}/"
