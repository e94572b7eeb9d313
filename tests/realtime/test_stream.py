"""The SSE contract: live delivery, exact resume from Last-Event-ID / ?since=, heartbeats."""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
from typing import Any

import httpx
import pytest

from backchannel.events import actions as event_actions
from tests.support.sse import SSEStream
from tests.support.wait import wait_for_subscribers


def stream_url(live: str, session: Any, query: str = "") -> str:
    return f"{live}/api/v1/sessions/{session.pk}/stream{query}"


def post(api: httpx.Client, session: Any, body: str, **extra: Any) -> dict[str, Any]:
    response = api.post(f"/api/v1/sessions/{session.pk}/posts", json={"body": body, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_post_arrives_live_with_its_id(live: str, conference: Any) -> None:
    with SSEStream(stream_url(live, conference.session)) as stream:
        assert stream.response.status_code == 200
        assert stream.response.headers["content-type"].startswith("text/event-stream")
        assert stream.response.headers["cache-control"].startswith("no-store")
        assert stream.response.headers["x-content-type-options"] == "nosniff"
        with conference.attendee.api(live) as api:
            created = post(api, conference.session, "live hello")
        event = stream.next()
        assert event.type == "post.created"
        assert event.id is not None and int(event.id) > 0
        assert event.json["post"]["id"] == created["id"]
        assert event.json["post"]["body"] == "live hello"
        assert f'id="post-{created["id"]}"' in event.json["post"]["html"]


def test_streams_only_carry_their_own_session(live: str, conference: Any) -> None:
    with SSEStream(stream_url(live, conference.other_session)) as other:
        with conference.attendee.api(live) as api:
            post(api, conference.session, "not for the other room")
            post(api, conference.lobby, "lobby only")
            mine = post(api, conference.other_session, "for the other room")
        event = other.next()
        assert event.json["post"]["id"] == mine["id"]
        other.assert_quiet(0.3)


def test_reconnect_with_last_event_id_gets_exactly_the_missed_events(
    live: str, conference: Any
) -> None:
    with conference.attendee.api(live) as api:
        with SSEStream(stream_url(live, conference.session)) as stream:
            post(api, conference.session, "seen")
            seen = stream.next()
        missed = [post(api, conference.session, f"missed {i}") for i in range(3)]
        with SSEStream(
            stream_url(live, conference.session), headers={"Last-Event-ID": str(seen.id)}
        ) as resumed:
            replayed = resumed.collect(3)
            assert [e.json["post"]["id"] for e in replayed] == [p["id"] for p in missed]
            ids = [int(e.id or 0) for e in replayed]
            assert ids == sorted(ids) and ids[0] > int(seen.id or 0)
            resumed.assert_quiet(0.3)  # nothing twice
            live_post = post(api, conference.session, "after resume")
            assert resumed.next().json["post"]["id"] == live_post["id"]


def test_since_parameter_resumes_like_last_event_id(live: str, conference: Any) -> None:
    with conference.attendee.api(live) as api:
        with SSEStream(stream_url(live, conference.session)) as stream:
            first = post(api, conference.session, "one")
            position = stream.next().id
        second = post(api, conference.session, "two")
    with SSEStream(stream_url(live, conference.session, f"?since={position}")) as resumed:
        assert resumed.next().json["post"]["id"] == second["id"]
        resumed.assert_quiet(0.3)
    assert first["id"] != second["id"]


def test_a_fresh_stream_starts_with_a_resume_point(live: str, conference: Any) -> None:
    with conference.attendee.api(live) as api:
        post(api, conference.session, "before connecting")
    with SSEStream(stream_url(live, conference.session)) as stream:
        stream.assert_quiet(0.3)  # history is not replayed without a position
        assert stream.last_id is not None and int(stream.last_id) > 0


def test_deletions_and_reactions_arrive_live(live: str, conference: Any) -> None:
    with conference.attendee.api(live) as api:
        created = post(api, conference.session, "short-lived")
        with SSEStream(stream_url(live, conference.session)) as stream:
            with conference.organiser.api(live) as organiser:
                organiser.put(f"/api/v1/posts/{created['id']}/reactions/like")
            liked = stream.next()
            assert liked.type == "reaction.changed"
            assert liked.json == {"post_id": created["id"], "kind": "like", "count": 1}
            api.delete(f"/api/v1/posts/{created['id']}")
            deleted = stream.next()
            assert deleted.type == "post.deleted"
            assert deleted.json["post_id"] == created["id"]


def test_heartbeats_keep_idle_streams_alive(live: str, conference: Any, settings: Any) -> None:
    settings.BACKCHANNEL_HEARTBEAT_SECONDS = 1
    with SSEStream(stream_url(live, conference.session)) as stream:
        assert stream.next(timeout=3, skip_comments=False).type == "ready"
        comment = stream.next(timeout=3, skip_comments=False)
        assert comment.comment and comment.data == "heartbeat"


@pytest.fixture
def private_session(conference: Any) -> Any:
    event = event_actions.create_event(
        conference.organiser.user,
        slug="private",
        name="Closed Workshop",
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 1),
        access="code",
        join_code="SECRET",
    )
    start = dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    return event_actions.create_session(
        conference.organiser.user,
        event,
        title="Closed session",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )


def test_join_code_sessions_are_hidden_from_outsiders(
    live: str, conference: Any, private_session: Any
) -> None:
    url = stream_url(live, private_session)
    assert httpx.get(url).status_code == 404
    outsider = {"Authorization": f"Bearer {conference.outsider.token}"}
    assert httpx.get(url, headers=outsider).status_code == 404
    assert httpx.get(url, headers={"Authorization": "Bearer bch_forged"}).status_code == 401
    assert httpx.get(f"{live}/api/v1/events/private", headers=outsider).status_code == 404
    with conference.outsider.api(live) as api:
        assert api.post("/api/v1/events/private/join", json={"code": "wrong"}).status_code == 403
        joined = api.post("/api/v1/events/private/join", json={"code": "secret"})
        assert joined.json() == {"event": "private", "role": "attendee"}
    with SSEStream(url, headers=outsider) as stream:
        assert stream.response.status_code == 200
        with conference.outsider.api(live) as api:
            created = post(api, private_session, "members only")
        assert stream.next().json["post"]["id"] == created["id"]


def test_a_closed_stream_is_released_by_the_server(live: str, conference: Any) -> None:
    import time

    from backchannel.realtime.hub import hub

    before = hub.subscriber_count()
    stream = SSEStream(stream_url(live, conference.session))
    stream.close()
    deadline = time.monotonic() + 3
    while hub.subscriber_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hub.subscriber_count() == before


def test_streams_opened_while_posts_are_in_flight_miss_nothing(live: str, conference: Any) -> None:
    """Regression: a post committed while a fresh stream was starting used to be skipped."""
    import threading
    import time

    stop = threading.Event()
    posted: list[int] = []
    sent = [0]  # posts whose request has started

    def keep_posting() -> None:
        with conference.attendee.api(live) as api:
            while not stop.is_set() and sent[0] < 200:
                sent[0] += 1
                posted.append(post(api, conference.session, f"burst {sent[0]}")["id"])

    writer = threading.Thread(target=keep_posting)
    writer.start()
    streams: list[tuple[SSEStream, int]] = []

    def open_stream() -> None:
        stream = SSEStream(stream_url(live, conference.session))
        # Every post sent after the stream answered must reach it.
        streams.append((stream, sent[0]))

    try:
        # Many streams at once keep the server busy while it starts them: the race's window.
        openers = [threading.Thread(target=open_stream) for _ in range(40)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join()
        stop.set()
        writer.join()
        for stream, already in streams:
            expected = set(posted[already:])
            got: list[int] = []
            # Read until every expected post is in (or a deadline), then whatever else is
            # queued: a copy would show there.
            deadline = time.monotonic() + 20
            while not expected <= set(got) and time.monotonic() < deadline:
                with contextlib.suppress(queue.Empty):
                    got.append(stream.next(timeout=0.2).json["post"]["id"])
            with contextlib.suppress(queue.Empty):
                while True:
                    got.append(stream.next(timeout=0.05).json["post"]["id"])
            missing = expected - set(got)
            assert not missing, f"stream opened after {already} posts missed {sorted(missing)}"
            assert len(got) == len(set(got)), "a post arrived twice"
    finally:
        stop.set()
        for stream, _ in streams:
            stream.close()


def _read_raw_stream(sock: Any, seconds: float) -> bytes:
    """Everything a raw socket receives until the server ends the response (the last chunk of
    a chunked body) or closes, or `seconds` pass."""
    import time

    received = b""
    deadline = time.monotonic() + seconds
    sock.settimeout(0.5)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        if not chunk:
            break
        received += chunk
        if received.endswith(b"\r\n0\r\n\r\n"):
            break
    return received


def test_a_reader_that_stops_reading_slows_no_one_and_resumes_without_gaps(
    live: str, conference: Any, settings: Any
) -> None:
    """Back-pressure: a client that stops reading is written to by its own task from its
    queue, then dropped when the queue is full; the others get every post at once, and the
    dropped one resumes from its last id with nothing missing and nothing twice."""
    import re
    import socket
    from urllib.parse import urlsplit

    settings.BACKCHANNEL_CLIENT_BUFFER = 20
    address = urlsplit(live)
    slow = socket.socket()
    # A tiny window and segment size (the kernel sizes the server's send buffer from the
    # segment size, some 4 MB on loopback otherwise), and the socket is never read.
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    slow.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)
    slow.connect((address.hostname, address.port))
    path = urlsplit(stream_url(live, conference.session)).path
    slow.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".encode())
    try:
        with SSEStream(stream_url(live, conference.session)) as fast:
            wait_for_subscribers(conference.session.topic, 2, at_least=True)
            text = "A long post to fill buffers quickly. " * 7
            with conference.attendee.api(live) as api:
                posted = [
                    post(api, conference.session, f"{i} {text}"[:280])["id"] for i in range(250)
                ]
            got = [e.json["post"]["id"] for e in fast.collect(250, timeout=20)]
            assert got == posted  # all, in order, while the slow one held nothing up
            fast.assert_quiet(0.2)

        raw = _read_raw_stream(slow, 20)
    finally:
        slow.close()
    assert raw.startswith(b"HTTP/1.1 200")
    ids_seen = [int(i) for i in re.findall(rb'"post":\{"id":(\d+)', raw)]
    # The server gave up on it (the queue overflowed) and closed: it holds a prefix, in order.
    assert ids_seen == posted[: len(ids_seen)]
    assert len(ids_seen) < len(posted), "the reader was never held back: the test proved nothing"
    last_event_id = re.findall(rb"(?m)^id: (\d+)$", raw)[-1].decode()
    with SSEStream(
        stream_url(live, conference.session), headers={"Last-Event-ID": last_event_id}
    ) as resumed:
        rest = [e.json["post"]["id"] for e in resumed.collect(len(posted) - len(ids_seen))]
        assert ids_seen + rest == posted
        resumed.assert_quiet(0.3)


def _first_block(url: str) -> dict[str, Any]:
    """Read a stream's first block and hang up, as a client cut off at once would, keeping the
    last event id the way a strict client does (npm `eventsource`): only from an event that has
    data."""
    fields: dict[str, str] = {}
    data: list[str] = []
    with httpx.stream("GET", url, timeout=10) as response:
        for line in response.iter_lines():
            if line == "":
                break
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                data.append(value)
            else:
                fields[name] = value
    return {"fields": fields, "data": data, "kept_id": fields.get("id") if data else None}


def test_a_strict_client_cut_off_after_the_first_block_misses_nothing(
    live: str, conference: Any
) -> None:
    first = _first_block(stream_url(live, conference.session))
    assert first["fields"].get("event") == "ready" and first["fields"].get("retry") == "2000"
    assert first["kept_id"] is not None, "the first block must be an event a strict client keeps"
    with conference.attendee.api(live) as api:
        meanwhile = post(api, conference.session, "posted while the client was away")
    resumed = {"Last-Event-ID": first["kept_id"]}
    with SSEStream(stream_url(live, conference.session), headers=resumed) as stream:
        ready = stream.next(skip_comments=False)
        assert ready.type == "ready" and ready.json["resumed"] is True
        assert stream.next().json["post"]["id"] == meanwhile["id"]
