"""A post the server acknowledged survives a crash of the server (SIGKILL), and a client that
reconnects with its last event id receives it. Runs real `backchannel` processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.servers import Server, cli, demo_environment
from tests.support.sse import SSEStream

# Run once (each test runs servers on a database of its own).
pytestmark = [pytest.mark.server, pytest.mark.engine_independent]


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.crash()


def test_acknowledged_post_survives_a_crash_and_reaches_a_resuming_client(
    tmp_path: Path, servers: list[Server]
) -> None:
    environment = demo_environment(tmp_path)
    auth = {"Authorization": f"Bearer {cli(environment, 'token', 'create', 'sam_k')}"}
    servers.append(Server(environment))
    first = servers[0]
    session_id = httpx.get(f"{first.url}/api/v1/events/ti2012").json()["sessions"][0]["id"]
    posts = f"{first.url}/api/v1/sessions/{session_id}/posts"

    with SSEStream(f"{first.url}/api/v1/sessions/{session_id}/stream") as stream:
        stream.assert_quiet(0.2)
        position = stream.last_id
    assert position is not None
    body = {"body": "survives", "client_id": "crash-1"}
    acknowledged = httpx.post(posts, json=body, headers=auth)
    assert acknowledged.status_code == 201
    first.crash()

    servers.append(Server(environment, port=first.port))
    listed = httpx.get(posts).json()["posts"]
    assert [p["id"] for p in listed].count(acknowledged.json()["id"]) == 1
    retry = httpx.post(posts, json=body, headers=auth)
    assert retry.json()["id"] == acknowledged.json()["id"]
    with SSEStream(
        f"{first.url}/api/v1/sessions/{session_id}/stream", headers={"Last-Event-ID": position}
    ) as resumed:
        event = resumed.next()
        assert event.type == "post.created"
        assert event.json["post"]["id"] == acknowledged.json()["id"]
        resumed.assert_quiet(0.3)
