"""Interoperability with software nobody here wrote: a small server on Fedify (@fedify/fedify
from npm, tests/interop/fedify_peer.mjs), whose signatures, key handling and JSON-LD reading
are Fedify's. Its account follows a session on our running server, gets a new post announced
(Fedify's inbox verifies our signature before anything reaches its listener), replies, and
the reply appears live in the session's stream; a reply the caution check would ask about is
held; a Delete from each side removes the copy on the other."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import require_service
from tests.support.servers import free_port
from tests.support.sse import SSEStream
from tests.support.tasks import run_worker_until_done
from tests.support.wait import wait_for_subscribers, wait_until

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT / "tests" / "interop" / "fedify_peer.mjs"

pytestmark = pytest.mark.engine_independent


class Fedify:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.fred = f"{self.base}/users/fred"

    def control(self, action: str, **payload: Any) -> Any:
        answer = httpx.post(f"{self.base}/control/{action}", json=payload, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def log(self) -> list[dict[str, Any]]:
        return list(httpx.get(f"{self.base}/control/log", timeout=10).json())


@pytest.fixture
def fedify() -> Iterator[Fedify]:
    node = shutil.which("node")
    installed = (ROOT / "node_modules" / "@fedify" / "fedify").is_dir()
    require_service(node is not None and installed, "Node.js with @fedify/fedify (npm ci)")
    assert node is not None
    major = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    require_service(int(major.lstrip("v").split(".")[0]) >= 20, "Node.js 20 or later for Fedify")
    port = free_port()
    process = subprocess.Popen(
        [str(node), str(PEER), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peer = Fedify(port)

    def up() -> bool:
        try:
            return httpx.get(f"{peer.base}/control/log", timeout=2).status_code == 200
        except httpx.TransportError:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            return False

    try:
        wait_until(up, "the Fedify server starts", timeout=30)
        yield peer
    finally:
        process.terminate()
        process.wait(10)


def test_a_fedify_account_follows_hears_and_answers(
    live: str, federating_live: Any, fedify: Fedify
) -> None:
    from backchannel.federation.models import Follow
    from backchannel.feed.models import Post

    session = federating_live.session
    group = f"{live}/e/conf/s/{session.pk}/"
    # Fedify reads our actor document, then sends a signed Follow to its inbox.
    fedify.control("follow", target=group)
    run_worker_until_done()
    assert Follow.objects.filter(follower__uri=fedify.fred).count() == 1
    run_worker_until_done()
    wait_until(lambda: any(e["type"] == "Accept" for e in fedify.log()), "Fedify gets our Accept")

    ada = federating_live.attendee.api(live)
    posted = ada.post(f"/api/v1/sessions/{session.pk}/posts", json={"body": "Across servers"})
    assert posted.status_code == 201
    note_id = f"{live}/posts/{posted.json()['id']}/"
    run_worker_until_done()
    announce = wait_until(
        lambda: next((e for e in fedify.log() if e["type"] == "Announce"), None),
        "Fedify accepts our signed Announce",
    )
    assert announce["actor"] == group and announce["object"] == note_id

    with SSEStream(f"{live}/api/v1/sessions/{session.pk}/stream") as stream:
        wait_for_subscribers(session.topic, 1)
        reply = fedify.control("note", to=group, text="Hello from Fedify", inReplyTo=note_id)
        run_worker_until_done()
        while True:
            event = stream.next(timeout=20)
            if event.type == "post.created":
                post = json.loads(event.data)["post"]
                break
        assert post["body"] == "Hello from Fedify"
        assert post["author"]["handle"] == f"fred@{fedify.base.removeprefix('http://')}"
        assert post["reply_to"] == posted.json()["id"]

    # A reply the caution check would ask about waits for the facilitators.
    fedify.control(
        "note", to=group, text="Call me on 07700 900123 about my son Liam at Hillside Primary"
    )
    run_worker_until_done()
    held = Post.objects.filter(author__username__startswith="fred@").order_by("-pk").first()
    assert held is not None and held.status == Post.Status.HELD

    # Deleted there: gone here.
    fedify.control("delete", note=reply["note"], to=group)
    run_worker_until_done()
    assert Post.objects.get(remote__uri=reply["note"]).is_deleted

    # Deleted here: Fedify is told.
    assert ada.delete(f"/api/v1/posts/{posted.json()['id']}").status_code in (200, 204)
    run_worker_until_done()
    wait_until(
        lambda: any(e["type"] == "Delete" and e["object"] == note_id for e in fedify.log()),
        "Fedify accepts our signed Delete",
    )
