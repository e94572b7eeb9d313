"""Several server processes: fan-out between them (outbox relay on SQLite, Redis), a process
killed mid-stream, and Redis restarting while people post. Real processes, loopback only."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import require_service
from tests.support.servers import RedisServer, Server, cli, demo_environment
from tests.support.sse import SSEStream
from tests.support.wait import wait_until

# Run once (each test runs servers on databases of its own).
pytestmark = [pytest.mark.server, pytest.mark.engine_independent]


@pytest.fixture
def processes() -> Iterator[list[Any]]:
    started: list[Any] = []
    yield started
    for process in started:
        if isinstance(process, RedisServer):
            process.stop()
        else:
            process.crash()


@pytest.fixture
def redis_server(processes: list[Any]) -> RedisServer:
    require_service(shutil.which("redis-server") is not None, "redis-server")
    server = RedisServer()
    processes.append(server)
    return server


def two_servers(
    tmp_path: Path, processes: list[Any], **env: str
) -> tuple[Server, Server, int, dict[str, str]]:
    """Two server processes on one fresh demo database: (a, b, session id, sam_k's auth)."""
    environment = demo_environment(tmp_path, **env)
    a, b = Server(environment), Server(environment)
    processes += [a, b]
    session_id, auth = session_and_token(environment, a)
    return a, b, session_id, auth


def session_and_token(env: dict[str, str], server: Server) -> tuple[int, dict[str, str]]:
    token = cli(env, "token", "create", "sam_k")
    session_id = httpx.get(f"{server.url}/api/v1/events/ti2012").json()["sessions"][0]["id"]
    return session_id, {"Authorization": f"Bearer {token}"}


def post(server: Server, session_id: int, auth: dict[str, str], body: str) -> int:
    response = httpx.post(
        f"{server.url}/api/v1/sessions/{session_id}/posts",
        json={"body": body, "client_id": body.replace(" ", "-")},
        headers=auth,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def receive_posts(stream: SSEStream, count: int, timeout: float = 20) -> list[int]:
    ids = []
    while len(ids) < count:
        event = stream.next(timeout=timeout)
        if event.type == "post.created":
            ids.append(event.json["post"]["id"])
    return ids


def test_two_processes_on_sqlite_share_events_through_the_outbox(
    tmp_path: Path, processes: list[Any]
) -> None:
    a, b, session_id, auth = two_servers(tmp_path, processes, BACKCHANNEL_WORKERS="2")
    with SSEStream(f"{b.url}/api/v1/sessions/{session_id}/stream") as on_b:
        on_b.assert_quiet(0.3)
        sent = [post(a, session_id, auth, f"via a {i}") for i in range(5)]
        # No broker here: only the outbox relay can carry them from a to b.
        assert receive_posts(on_b, 5, timeout=20) == sent


def test_two_processes_with_redis(tmp_path: Path, processes: list[Any], redis_server: Any) -> None:
    # The outbox relay's polling is off (0): arriving at all means Redis carried it.
    a, b, session_id, auth = two_servers(
        tmp_path, processes, REDIS_URL=redis_server.url, BACKCHANNEL_RELAY_SECONDS="0"
    )
    with SSEStream(f"{b.url}/api/v1/sessions/{session_id}/stream") as on_b:
        on_b.assert_quiet(0.3)
        sent = post(a, session_id, auth, "through redis")
        assert receive_posts(on_b, 1, timeout=20) == [sent]


@pytest.mark.parametrize("carrier", ["redis", "outbox"])
def test_a_profile_saved_on_one_process_is_what_the_next_post_on_another_carries(
    tmp_path: Path, processes: list[Any], carrier: str, request: pytest.FixtureRequest
) -> None:
    """Each process keeps a token's row with its person's (db/rowcache.py), here for an hour:
    only the control topic telling process a that b changed the person can make a's next
    post carry the new affiliation (through Redis with the relay's polling off, or through
    the outbox relay alone)."""
    env = {"BACKCHANNEL_ROW_CACHE_SECONDS": "3600"}
    if carrier == "redis":
        env |= {"REDIS_URL": request.getfixturevalue("redis_server").url}
        env |= {"BACKCHANNEL_RELAY_SECONDS": "0"}
    else:
        env |= {"BACKCHANNEL_WORKERS": "2"}
    a, b, session_id, auth = two_servers(tmp_path, processes, **env)
    for i in range(2):  # the first use of a token writes its time, then re-reads it
        post(a, session_id, auth, f"kept {i}")
    profile = httpx.get(f"{b.url}/api/v1/me", headers=auth).json()
    profile["affiliation"] = "Children's Clinic"
    assert httpx.put(f"{b.url}/api/v1/me", json=profile, headers=auth).status_code == 200

    def carried() -> bool:
        response = httpx.post(
            f"{a.url}/api/v1/sessions/{session_id}/posts",
            json={"body": "after the change"},
            headers=auth,
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return bool(response.json()["author"]["affiliation"] == "Children's Clinic")

    wait_until(carried, "process a to hear that the person changed", every=0.2)


def test_clients_of_a_killed_process_resume_on_another_and_miss_nothing(
    tmp_path: Path, processes: list[Any], redis_server: Any
) -> None:
    a, b, session_id, auth = two_servers(tmp_path, processes, REDIS_URL=redis_server.url)
    with SSEStream(f"{a.url}/api/v1/sessions/{session_id}/stream") as on_a:
        first = post(b, session_id, auth, "before the crash")
        assert receive_posts(on_a, 1) == [first]
        last_id = on_a.last_id
        a.crash()
    assert last_id is not None
    during = [post(b, session_id, auth, f"while reconnecting {i}") for i in range(3)]
    with SSEStream(
        f"{b.url}/api/v1/sessions/{session_id}/stream", headers={"Last-Event-ID": last_id}
    ) as on_b:
        assert receive_posts(on_b, 3) == during
        after = post(b, session_id, auth, "after the crash")
        assert receive_posts(on_b, 1) == [after]
        on_b.assert_quiet(0.3)


def test_redis_restart_delays_but_never_loses(
    tmp_path: Path, processes: list[Any], redis_server: Any
) -> None:
    a, b, session_id, auth = two_servers(
        tmp_path, processes, REDIS_URL=redis_server.url, BACKCHANNEL_RELAY_SECONDS="1"
    )
    with SSEStream(f"{b.url}/api/v1/sessions/{session_id}/stream") as on_b:
        on_b.assert_quiet(0.3)
        before = post(a, session_id, auth, "before redis stops")
        assert receive_posts(on_b, 1) == [before]
        redis_server.stop()
        # Posting keeps working while Redis is down; the relay still delivers.
        down = [post(a, session_id, auth, f"redis down {i}") for i in range(3)]
        assert receive_posts(on_b, 3, timeout=20) == down
        restarted = RedisServer(port=redis_server.port)
        processes.append(restarted)
        # Whether the subscriber has reconnected yet or not, nothing is lost. While it
        # reconnects, a post Redis missed comes through the relay after a newer one Redis
        # carried: all arrive, perhaps not in order (pages place posts by id: feed.js).
        up = [post(a, session_id, auth, f"redis back {i}") for i in range(3)]
        assert sorted(receive_posts(on_b, 3, timeout=20)) == up
        on_b.assert_quiet(0.5)  # and nothing twice
    listed = httpx.get(f"{a.url}/api/v1/sessions/{session_id}/posts?limit=100").json()["posts"]
    bodies = [p["body"] for p in listed]
    assert len(bodies) == len(set(bodies))


def test_database_down_means_503_with_retry_after_never_500(tmp_path: Path) -> None:
    """A server whose PostgreSQL is unreachable answers every page, API call and stream with a
    503 and Retry-After (and nothing is written)."""
    import os
    import subprocess

    from tests.support.servers import BIN, free_port

    port = free_port()
    env = {
        **os.environ,
        "BACKCHANNEL_DATA_DIR": str(tmp_path),
        # A port nobody listens on: the database is "down".
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/backchannel",
        "DATABASE_POOL": "false",
        "LOG_LEVEL": "error",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [BIN, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/static/backchannel/site.css", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        for method, path in [
            ("GET", "/"),
            ("GET", "/e/ti2012/"),
            ("GET", "/api/v1/events/ti2012"),
            ("POST", "/api/v1/sessions/1/posts"),
            ("GET", "/api/v1/sessions/1/stream"),
        ]:
            response = httpx.request(
                method,
                f"{base}{path}",
                json={"body": "x"} if method == "POST" else None,
                headers={"Authorization": "Bearer bch_x"} if method == "POST" else {},
                timeout=15,
            )
            assert response.status_code == 503, (path, response.status_code, response.text[:300])
            assert response.headers["retry-after"] == "5"
            assert "Traceback" not in response.text
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A throwaway database on the test PostgreSQL server (TEST_POSTGRES_URL)."""
    import os
    import uuid

    import dj_database_url
    import psycopg

    url = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/backchannel")
    config = dj_database_url.parse(url)
    admin = dict(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
    )
    try:
        connection = psycopg.connect(**admin, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        connection = None
    require_service(connection is not None, f"PostgreSQL at {url}")
    assert connection is not None
    name = f"bc_processes_{uuid.uuid4().hex[:10]}"
    connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


def test_two_processes_on_postgresql_share_events_through_listen_notify(
    tmp_path: Path, processes: list[Any], postgres_database: str
) -> None:
    # The relay's polling is off (0): it reads the outbox only when NOTIFY wakes it, so
    # arriving at all means LISTEN/NOTIFY carried the news.
    a, b, session_id, auth = two_servers(
        tmp_path, processes, DATABASE_URL=postgres_database, BACKCHANNEL_RELAY_SECONDS="0"
    )
    with SSEStream(f"{b.url}/api/v1/sessions/{session_id}/stream") as on_b:
        on_b.assert_quiet(0.3)
        sent = [post(a, session_id, auth, f"notify {i}") for i in range(3)]
        assert receive_posts(on_b, 3, timeout=20) == sent


@pytest.fixture
def private_postgres() -> Iterator[Any]:
    """A PostgreSQL cluster of this test's own, which it may stop and start."""
    import tempfile

    from tests.support.servers import PostgresCluster, postgres_binaries

    require_service(postgres_binaries() is not None, "PostgreSQL server programs (initdb)")
    directory = Path(tempfile.mkdtemp(prefix="bc-pg-"))
    cluster = PostgresCluster(directory)
    try:
        yield cluster
    finally:
        cluster.destroy()
        shutil.rmtree(directory, ignore_errors=True)


def test_postgresql_restart_while_posting_loses_nothing_and_never_500s(
    tmp_path: Path, processes: list[Any], private_postgres: Any
) -> None:
    """PostgreSQL crashes and comes back while people post: every acknowledged post survives,
    streams catch up with nothing twice, a retried client_id never makes a copy, and while the
    database is gone the answer is 503 with Retry-After, never a 500."""
    import threading

    environment = demo_environment(
        tmp_path, DATABASE_URL=private_postgres.url, BACKCHANNEL_RELAY_SECONDS="1"
    )
    server = Server(environment)
    processes.append(server)
    session_id, auth = session_and_token(environment, server)
    posts_url = f"{server.url}/api/v1/sessions/{session_id}/posts"

    acknowledged: list[int] = []
    statuses: list[int] = []
    stop = threading.Event()

    def keep_posting() -> None:
        n = 0
        with httpx.Client(timeout=15, headers=auth) as client:
            while not stop.is_set():
                n += 1
                body = f"steady {n}"
                for _attempt in range(50):  # a well-behaved client retries its own client_id
                    try:
                        response = client.post(
                            posts_url, json={"body": body, "client_id": f"steady-{n}"}
                        )
                    except httpx.TransportError:
                        statuses.append(0)
                        stop.wait(0.2)  # a client's back-off, not a wait for the test
                        continue
                    statuses.append(response.status_code)
                    if response.status_code == 201:
                        acknowledged.append(int(response.json()["id"]))
                        break
                    assert response.status_code == 503, response.text[:300]
                    assert response.headers["retry-after"] == "5"
                    stop.wait(0.2)

    def refused() -> bool:
        return any(status != 201 for status in statuses)

    def accepted_after_refusal(count: int) -> bool:
        last_refusal = max(i for i, status in enumerate(statuses) if status != 201)
        return statuses[last_refusal + 1 :].count(201) >= count

    with SSEStream(f"{server.url}/api/v1/sessions/{session_id}/stream") as stream:
        stream.assert_quiet(0.3)
        writer = threading.Thread(target=keep_posting)
        writer.start()
        try:
            wait_until(lambda: len(acknowledged) >= 5, "posts accepted before the crash")
            private_postgres.stop("immediate")  # a crash: recovery from the WAL on start
            wait_until(refused, "a refusal while the database is down")
            wait_until(lambda: statuses.count(503) >= 3, "several 503s while it is down")
            private_postgres.start()
            wait_until(lambda: accepted_after_refusal(5), "posting to resume", timeout=60)
        finally:
            stop.set()
            writer.join(timeout=60)
        assert 503 in statuses, "the database was never seen down: the test proved nothing"
        assert 500 not in statuses
        last_refusal = max(i for i, status in enumerate(statuses) if status != 201)
        assert statuses[last_refusal + 1 :].count(201) >= 3, "posting never resumed"
        count = len(acknowledged)
        assert count >= 10
        received = receive_posts(stream, count, timeout=20)
        assert sorted(received) == sorted(acknowledged)
        stream.assert_quiet(0.5)  # and nothing twice

    listed = httpx.get(f"{posts_url}?limit=100", timeout=10).json()["posts"]
    assert len(listed) < 100, "more posts than one page: read them all"
    steady = [p for p in listed if p["body"].startswith("steady ")]
    assert sorted(p["id"] for p in steady) == sorted(acknowledged)
    bodies = [p["body"] for p in steady]
    assert len(bodies) == len(set(bodies)), "a retried client_id made a copy"
