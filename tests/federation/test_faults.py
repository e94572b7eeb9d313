"""Delivery survives a killed worker (docs/federation.md): the server, its queue worker inside,
is killed (SIGKILL) while a remote server holds our delivery unanswered. Restarted, the worker
takes the delivery again once its lease has run out and sends the same activity, with the same
id; the remote server ignores what it already has. Nothing is lost; the activity is never a
second, different one."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.fediverse import Peer, send, start_peer
from tests.support.servers import Server, cli, demo_environment, free_port
from tests.support.wait import wait_until

pytestmark = [pytest.mark.server, pytest.mark.engine_independent]


@pytest.fixture
def peer() -> Iterator[Peer]:
    server = start_peer()
    yield server
    if server.hold is not None:
        server.hold.set()
    server.server.shutdown()


def test_a_delivery_under_way_when_the_worker_is_killed_is_sent_again(
    tmp_path: Path, peer: Peer
) -> None:
    port = free_port()
    env = demo_environment(
        tmp_path,
        BACKCHANNEL_SITE_URL=f"http://127.0.0.1:{port}",
        BACKCHANNEL_FEDERATION_ALLOW_HTTP="true",
        BACKCHANNEL_FEDERATION_ALLOW_PRIVATE="true",
        BACKCHANNEL_WORKER_INTERVAL="0.1",
        BACKCHANNEL_FEDERATION_LEASE_SECONDS="3",
    )
    server = Server(env, port)
    try:
        event = httpx.get(f"{server.url}/api/v1/events/ti2012").json()
        session = next(s["id"] for s in event["sessions"] if s["kind"] == "plenary")
        group = f"{server.url}/e/ti2012/s/{session}/"
        followed = send(peer, f"{group}ap/inbox/", peer.activity("ann", "Follow", group, 1))
        assert followed.status_code == 202
        wait_until(lambda: any(d.activity["type"] == "Accept" for d in peer.received), "the Accept")

        peer.hold = threading.Event()  # the next delivery hangs, unanswered
        token = cli(env, "token", "create", "jamal")
        posted = httpx.post(
            f"{server.url}/api/v1/sessions/{session}/posts",
            json={"body": "Sent through a crash"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert posted.status_code == 201
        first = wait_until(
            lambda: next((d for d in peer.received if d.activity["type"] == "Announce"), None),
            "the Announce is under way",
        )
        server.crash()  # SIGKILL, mid-delivery: the worker never hears the answer
        peer.hold.set()
        peer.hold = None

        server = Server(env, port)
        again = wait_until(
            lambda: [d for d in peer.received if d.activity["type"] == "Announce"][1:],
            "the Announce is sent again after the lease runs out",
            timeout=60,
        )
        assert again[0].activity["id"] == first.activity["id"]  # the same activity
        assert again[0].body == first.body
        # Delivered once it was answered: nothing more goes out.
        wait_until(
            lambda: (
                "delivered"
                in cli(
                    env,
                    "manage",
                    "shell",
                    "-c",
                    "from backchannel.federation.models import Delivery; "
                    "print(*Delivery.objects.filter(activity__kind='Announce')"
                    ".values_list('state', flat=True))",
                )
            ),
            "the delivery is recorded as delivered",
        )
        announces = [d for d in peer.received if d.activity["type"] == "Announce"]
        assert len({json.dumps(d.activity, sort_keys=True) for d in announces}) == 1
    finally:
        server.crash()
