"""A post the server acknowledged survives a crash of the server (SIGKILL), and a client that
reconnects with its last event id receives it. Runs real `backchannel` processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.sse import SSEStream

pytestmark = pytest.mark.server
BIN = Path(sys.executable).parent / "backchannel"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "BACKCHANNEL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOG_LEVEL": "warning",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    seeded = subprocess.run([BIN, "demo", "--no-serve"], env=env, capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    return env


class Server:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [BIN, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/events/ti2012", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)

    def crash(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def servers(environment: dict[str, str]) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.crash()


def test_acknowledged_post_survives_a_crash_and_reaches_a_resuming_client(
    environment: dict[str, str], servers: list[Server]
) -> None:
    token = subprocess.run(
        [BIN, "token", "create", "sam_k"],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    port = free_port()
    servers.append(Server(environment, port))
    first = servers[0]
    session_id = httpx.get(f"{first.url}/api/v1/events/ti2012").json()["sessions"][0]["id"]
    posts = f"{first.url}/api/v1/sessions/{session_id}/posts"

    with SSEStream(f"{first.url}/api/v1/sessions/{session_id}/stream") as stream:
        stream.assert_quiet(0.2)
        position = stream.last_id
    assert position is not None
    acknowledged = httpx.post(
        posts, json={"body": "survives", "client_id": "crash-1"}, headers=auth
    )
    assert acknowledged.status_code == 201
    first.crash()

    servers.append(Server(environment, port))
    listed = httpx.get(posts).json()["posts"]
    assert [p["id"] for p in listed].count(acknowledged.json()["id"]) == 1
    retry = httpx.post(posts, json={"body": "survives", "client_id": "crash-1"}, headers=auth)
    assert retry.json()["id"] == acknowledged.json()["id"]
    with SSEStream(
        f"{first.url}/api/v1/sessions/{session_id}/stream", headers={"Last-Event-ID": position}
    ) as resumed:
        event = resumed.next()
        assert event.type == "post.created"
        assert event.json["post"]["id"] == acknowledged.json()["id"]
        resumed.assert_quiet(0.3)
