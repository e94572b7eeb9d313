"""The bridge from the ASGI server to Django's threads (backchannel/wsgi.py), spoken to as
uvicorn speaks to it. Every live-server test goes through it with Django behind; these pin
what it promises on its own: an ordinary answer in one piece, a body read whole however it
arrives, a large answer streamed in order and closed, errors kept."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from backchannel.wsgi import BUFFER_BYTES, ThreadedWSGI

pytestmark = pytest.mark.engine_independent

SCOPE = {
    "type": "http",
    "http_version": "1.1",
    "method": "POST",
    "path": "/api/v1/x",
    "query_string": b"a=1",
    "headers": [(b"content-type", b"application/json"), (b"x-thing", b"yes")],
    "client": ("127.0.0.1", 5000),
    "server": ("127.0.0.1", 8000),
}


class Closing:
    """A WSGI answer that records where it was closed."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.closed_in: list[str] = []

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks

    def close(self) -> None:
        self.closed_in.append(threading.current_thread().name)


def call(app: Any, bodies: list[bytes], disconnect: bool = False) -> list[dict[str, Any]]:
    """Run one request through the bridge: `bodies` arrive as separate messages."""
    sent: list[dict[str, Any]] = []
    incoming: list[dict[str, Any]] = [
        {"type": "http.request", "body": b, "more_body": i < len(bodies) - 1}
        for i, b in enumerate(bodies)
    ]
    if disconnect:
        incoming = [{"type": "http.disconnect"}]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # In a thread of its own: browser tests in the same run may hold this thread's loop.
    with ThreadPoolExecutor(1) as runner:
        runner.submit(asyncio.run, ThreadedWSGI(app, workers=2)(SCOPE, receive, send)).result(60)
    return sent


def test_an_ordinary_answer_goes_out_in_one_piece() -> None:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ, body=environ["wsgi.input"].read())
        start_response("201 Created", [("Content-Type", "application/json"), ("X-A", "b")])
        return [b'{"id":', b" 1}"]

    sent = call(app, [b'{"body": "hi"}'])
    assert sent == [
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"application/json"), (b"x-a", b"b")],
        },
        {"type": "http.response.body", "body": b'{"id": 1}'},
    ]
    assert seen["body"] == b'{"body": "hi"}'
    assert (seen["REQUEST_METHOD"], seen["PATH_INFO"], seen["QUERY_STRING"]) == (
        "POST",
        "/api/v1/x",
        "a=1",
    )
    assert (seen["CONTENT_TYPE"], seen["HTTP_X_THING"], seen["REMOTE_ADDR"]) == (
        "application/json",
        "yes",
        "127.0.0.1",
    )


def test_a_body_arriving_in_pieces_is_read_whole_and_in_lines() -> None:
    got: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        stream = environ["wsgi.input"]
        got.append(stream.readline())
        got.append(stream.read())
        start_response("200 OK", [])
        return [b"ok"]

    sent = call(app, [b"first line\nsec", b"ond part, ", b"end"])
    assert got == [b"first line\n", b"second part, end"]
    assert sent[-1] == {"type": "http.response.body", "body": b"ok"}


def test_a_large_answer_streams_in_order_and_is_closed_in_a_thread() -> None:
    piece = b"x" * 50_000
    count = 2 * BUFFER_BYTES // len(piece)
    answer = Closing(iter([piece] * count + [b"", b"the end"]))

    def app(environ: dict[str, Any], start_response: Any) -> Closing:
        start_response("200 OK", [("Content-Type", "text/csv")])
        return answer

    sent = call(app, [b""])
    assert sent[0]["status"] == 200
    bodies = sent[1:]
    assert b"".join(m["body"] for m in bodies) == piece * count + b"the end"
    assert [m.get("more_body", False) for m in bodies] == [True] * (len(bodies) - 1) + [False]
    assert len(bodies) > 2  # not held whole
    assert len(answer.closed_in) == 1 and answer.closed_in[0].startswith("WSGI")


def test_an_answer_that_fails_midway_is_closed_and_the_error_kept() -> None:
    def chunks() -> Iterator[bytes]:
        yield b"part"
        raise RuntimeError("broken")

    answer = Closing(chunks())

    def app(environ: dict[str, Any], start_response: Any) -> Closing:
        start_response("200 OK", [])
        return answer

    with pytest.raises(RuntimeError, match="broken"):
        call(app, [b""])
    assert len(answer.closed_in) == 1


def test_an_error_answer_replaces_the_first_start() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("X-First", "1")])
        start_response("500 Internal Server Error", [("X-Second", "1")], ("exc", "info", None))
        return [b"sorry"]

    sent = call(app, [b""])
    assert sent[0]["status"] == 500 and sent[0]["headers"] == [(b"x-second", b"1")]


def test_a_client_gone_before_its_request_arrived_costs_no_thread() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise AssertionError("not called")

    assert call(app, [], disconnect=True) == []
