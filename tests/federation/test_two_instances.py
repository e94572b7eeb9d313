"""Two Backchannel servers federating (docs/federation.md), each a real `backchannel serve`
process with its queue worker, on loopback: a satellite venue (B) links its session with the
keynote's session at the main conference (A). A post at A arrives in B's feed, signed and
checked; a person at B answers it, and the answer appears live in A's session stream with its
author's handle and server; when the post is deleted at A, B's copy goes too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from backchannel.demo import PASSWORD
from tests.support.servers import Server, cli, demo_environment, free_port
from tests.support.sse import SSEStream
from tests.support.wait import wait_until
from tests.support.web import PageSession

pytestmark = [pytest.mark.server, pytest.mark.engine_independent]


def _start(directory: Path, port: int) -> tuple[Server, dict[str, str]]:
    env = demo_environment(
        directory,
        BACKCHANNEL_SITE_URL=f"http://127.0.0.1:{port}",
        BACKCHANNEL_FEDERATION_ALLOW_HTTP="true",
        BACKCHANNEL_FEDERATION_ALLOW_PRIVATE="true",
        BACKCHANNEL_WORKER_INTERVAL="0.1",
    )
    return Server(env, port), env


def _plenary(server: Server) -> int:
    event = httpx.get(f"{server.url}/api/v1/events/ti2012").json()
    return int(next(s["id"] for s in event["sessions"] if s["kind"] == "plenary"))


def _api(server: Server, env: dict[str, str], handle: str) -> httpx.Client:
    token = cli(env, "token", "create", handle)
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def _posts(server: Server, session: int) -> list[dict[str, Any]]:
    answer = httpx.get(f"{server.url}/api/v1/sessions/{session}/posts", timeout=10)
    return list(answer.json()["posts"])


def test_a_satellite_session_shares_the_conversation(tmp_path: Path) -> None:
    a_port, b_port = free_port(), free_port()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, a_env = _start(tmp_path / "a", a_port)
    b, b_env = _start(tmp_path / "b", b_port)
    try:
        keynote, satellite = _plenary(a), _plenary(b)

        # B's organiser links the satellite session with the keynote at A.
        organiser = PageSession(b.url)
        organiser.login("organiser", PASSWORD)
        links = f"/e/ti2012/manage/sessions/{satellite}/links/"
        linked = organiser.submit(links, {"handle": f"ti2012.{keynote}@127.0.0.1:{a_port}"})
        assert linked.status_code == 302, linked.text[:2000]
        wait_until(lambda: "linked since" in organiser.get(links).text, "A accepts the link")

        # A post at A arrives in B's feed, by its author at A.
        jamal = _api(a, a_env, "jamal")
        original = jamal.post(
            f"/api/v1/sessions/{keynote}/posts", json={"body": "Hello to the satellites"}
        )
        assert original.status_code == 201, original.text
        copy = wait_until(
            lambda: next(
                (p for p in _posts(b, satellite) if p["body"] == "Hello to the satellites"), None
            ),
            "the post reaches B",
        )
        assert copy["author"]["handle"] == f"jamal@127.0.0.1:{a_port}"

        # A person at B answers it: the answer appears live at A.
        with SSEStream(f"{a.url}/api/v1/sessions/{keynote}/stream") as stream:
            maria = _api(b, b_env, "maria_f")
            reply = maria.post(
                f"/api/v1/sessions/{satellite}/posts",
                json={"body": "Waving from the satellite room", "reply_to": copy["id"]},
            )
            assert reply.status_code == 201, reply.text
            while True:
                event = stream.next(timeout=30)
                if event.type == "post.created":
                    post = json.loads(event.data)["post"]
                    if post["body"] == "Waving from the satellite room":
                        break
            assert post["author"]["handle"] == f"maria_f@127.0.0.1:{b_port}"
            assert post["reply_to"] == original.json()["id"]

        # Deleted at A: gone at B.
        assert jamal.delete(f"/api/v1/posts/{original.json()['id']}").status_code in (200, 204)
        wait_until(
            lambda: all(p["id"] != copy["id"] or p["deleted"] for p in _posts(b, satellite)),
            "B's copy is deleted",
        )
    finally:
        a.crash()
        b.crash()
