"""Shared fixtures: a real ASGI server on the test database, people, events, API clients.

Tests that need a running server use `live` (which implies a transactional database, because
the server's threads must see committed data). Services the suite needs (Chromium) fail the run
under CI when missing, and are skipped with the reason elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support.http import IN_PROCESS, client

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there by the tests' own setup code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PASSWORD = "correct-horse-battery"


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first: with a worker per CPU, a minute-long test picked up last keeps
    one worker busy while the other waits."""
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in ("long", "server")))


def require_service(available: bool, what: str) -> None:
    """Fail loudly in CI when a required service is missing; skip with the reason elsewhere."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI but is not available", pytrace=False)
    pytest.skip(f"{what} is not available here")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Argon2 is the production hasher (tested in tests/accounts); tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings: Any) -> Iterator[None]:
    # Counts live in the process's memory (the suite's server runs in this process): each test
    # starts with none. Many tests post quickly as one person to set a scene, so the per-person
    # posting limit is lifted; tests/moderation/test_rate_limits.py checks the real defaults.
    from backchannel import ratelimits

    settings.BACKCHANNEL_RATE_POST = "10000/minute"
    ratelimits.reset()
    yield


@pytest.fixture(autouse=True)
def _fresh_row_caches() -> Iterator[None]:
    # The rows a process keeps (db/rowcache.py) are cleared by every write the application
    # makes, but not by a test's database being rolled back or emptied: each test starts with
    # none, or a session id reused by the next test would find the last one's row.
    from backchannel.db import rowcache

    rowcache.clear_all()
    yield
    rowcache.clear_all()


@pytest.fixture(scope="session")
def _server(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    import uvicorn

    from backchannel.asgi import application

    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=0,
        lifespan="on",
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    # Like `backchannel serve` without its worker (which `_serve` starts, not the ASGI app):
    # tests run the queue themselves when they mean to (tests/support/tasks.py).
    with django_db_blocker.unblock():
        thread = threading.Thread(target=server.run, name="test-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(timeout=10)
        from django.db import connections

        for connection in connections.all():
            # The server's threads borrowed from the psycopg pool; return everything so the
            # test database can be dropped.
            if connection.settings_dict.get("OPTIONS", {}).get("pool"):
                connection.close_pool()


@pytest.fixture
def live(_server: str, transactional_db: Any) -> Iterator[str]:
    """The base URL of the running server, with a clean database for this test."""
    yield _server
    _wait_for_quiet_database()


@pytest.fixture
def site(db: Any) -> str:
    """The base URL of Django in this process (tests/support/http.py): for tests that need
    no stream and no browser. Each test's writes are rolled back afterwards."""
    return IN_PROCESS


@pytest.fixture
def base_url(request: pytest.FixtureRequest) -> str:
    """The test's own base URL (`live` if it asked for the server, else `site`), for a
    module's fixtures that serve tests of both kinds."""
    return str(request.getfixturevalue("live" if "live" in request.fixturenames else "site"))


@pytest.fixture(scope="session", autouse=True)
def _fast_flush_that_survives_deadlocks() -> Iterator[None]:
    """How the database is emptied after each test that ran against the live server (pytest-
    django's transactional_db calls Django's flush):

    - Without re-creating content types and permissions afterwards (post_migrate): nothing in
      Backchannel reads them, and on SQLite they were nearly all of the flush's cost.
    - On PostgreSQL with DELETE in one transaction (constraints deferred) instead of TRUNCATE:
      35 times faster on tables holding a test's few rows (11 ms against 360 ms), and it takes
      no table locks to deadlock on. Sequences are not reset, as with Django's flush.
    - A flush that meets a deadlock with a server transaction begun after the quiet check below
      (the outbox relay polls in the background) is tried again, which is what an operator
      would do; the test's own assertions are untouched."""
    from django.core.management.base import CommandError
    from django.core.management.commands import flush
    from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

    original = flush.Command.handle

    def empty_every_table(database: str) -> None:
        connection = connections[database]
        tables = connection.introspection.django_table_names(only_existing=True)
        quote = connection.ops.quote_name
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # our own tables

    def handle(self: Any, **options: Any) -> Any:
        database = options.get("database") or DEFAULT_DB_ALIAS
        for attempt in range(5):
            try:
                if connections[database].vendor == "postgresql":
                    return empty_every_table(database)
                return original(self, **{**options, "inhibit_post_migrate": True})
            except (CommandError, OperationalError) as exc:
                if "deadlock" not in str(exc.__cause__ or exc) or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))  # back off before trying again
        return None

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


def _wait_for_quiet_database(seconds: float = 10.0) -> None:
    """Before the test database is emptied for the next test, let the server finish what it is
    doing: a client has its answer a moment before the server's thread has finished with the
    database, and on PostgreSQL the flush's TRUNCATE can deadlock with such a transaction."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite: the flush waits for the writer's lock
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction') "
                "AND query NOT ILIKE 'LISTEN%%'"
            )
            row = cursor.fetchone()
        if not row or row[0] == 0:
            return
        time.sleep(0.02)


@dataclass
class Person:
    user: Any
    token: str

    @property
    def handle(self) -> str:
        return str(self.user.username)

    def api(self, base_url: str) -> httpx.Client:
        return client(base_url, headers={"Authorization": f"Bearer {self.token}"})


@pytest.fixture
def make_person(db: Any) -> Any:
    from backchannel.accounts.actions import create_api_token, sign_up

    def make(handle: str, **profile: str) -> Person:
        user = sign_up(handle=handle, password=PASSWORD, display_name=profile.pop("name", ""))
        for key, value in profile.items():
            setattr(user, key, value)
        if profile:
            user.save()
        _, token = create_api_token(user, name="tests")
        return Person(user, token)

    return make


@dataclass
class Conference:
    event: Any
    session: Any
    other_session: Any
    lobby: Any
    organiser: Person
    attendee: Person
    outsider: Person


@pytest.fixture
def conference(make_person: Any) -> Conference:
    """A public event with two sessions: an organiser, a joined attendee, and an outsider."""
    from backchannel.events import actions
    from backchannel.events.queries import lobby_of

    organiser = make_person("olive", name="Olive Organiser")
    attendee = make_person("ada", name="Ada Attendee")
    outsider = make_person("otto", name="Otto Outsider")
    event = actions.create_event(
        organiser.user,
        slug="conf",
        name="Test Conference",
        hashtag="conf",
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 2),
        timezone="Europe/Berlin",
    )
    start = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    session = actions.create_session(
        organiser.user,
        event,
        title="Keynote",
        kind="plenary",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    other = actions.create_session(
        organiser.user,
        event,
        title="Workshop",
        kind="workshop",
        starts_at=start + dt.timedelta(hours=2),
        ends_at=start + dt.timedelta(hours=3),
    )
    actions.join_event(attendee.user, event)
    return Conference(event, session, other, lobby_of(event), organiser, attendee, outsider)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None
