"""SQLite writers of one process take turns on a lock held for exactly their transaction."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from backchannel.db.sqlite3.base import _writer
from backchannel.feed.models import Hashtag
from tests.support.wait import wait_until


@pytest.fixture(autouse=True)
def _sqlite_only(transactional_db: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the writers' lock is part of the SQLite backend only")


def test_the_lock_is_held_only_inside_a_write_transaction() -> None:
    assert not _writer.locked()
    with transaction.atomic():
        Hashtag.objects.create(name="inside")
        assert _writer.locked()
        with transaction.atomic():  # a savepoint: no second acquire, no deadlock
            Hashtag.objects.create(name="nested")
    assert not _writer.locked()
    with pytest.raises(RuntimeError), transaction.atomic():
        Hashtag.objects.create(name="rolled-back")
        raise RuntimeError("boom")
    assert not _writer.locked()
    assert not Hashtag.objects.filter(name="rolled-back").exists()


def test_many_threads_write_at_once_and_every_write_lands() -> None:
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(25):
                with transaction.atomic():
                    Hashtag.objects.create(name=f"w{worker}-{n}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Hashtag.objects.filter(name__startswith="w").count() == 200
    assert not _writer.locked()


class _WatchedLock:
    """The writers' lock, telling how many threads wait for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.waiting = 0

    def acquire(self, *args: Any) -> bool:
        self.waiting += 1
        try:
            return self._lock.acquire(*args)
        finally:
            self.waiting -= 1

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    __enter__ = acquire

    def __exit__(self, *exc: Any) -> None:
        self.release()


def test_a_write_outside_a_transaction_waits_its_turn_instead_of_failing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An autocommit write while another thread's transaction holds the database: with
    SQLite's busy timeout at zero it would fail at once ("database is locked"); it queues on
    the writers' lock instead, and lands when the transaction commits."""
    from backchannel.db.sqlite3 import base

    lock = _WatchedLock()
    monkeypatch.setattr(base, "_writer", lock)
    holding, release = threading.Event(), threading.Event()
    outcome: list[BaseException | None] = []

    def transaction_holder() -> None:
        try:
            with transaction.atomic():
                Hashtag.objects.create(name="in-transaction")
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    def autocommit_writer() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 0")
            Hashtag.objects.create(name="autocommit")
            outcome.append(None)
        except BaseException as exc:  # reported below
            outcome.append(exc)
        finally:
            connection.close()

    holder = threading.Thread(target=transaction_holder)
    holder.start()
    assert holding.wait(30)
    writer = threading.Thread(target=autocommit_writer)
    writer.start()
    wait_until(lambda: outcome or lock.waiting, "the write to fail or to queue")
    release.set()
    holder.join(30)
    writer.join(30)
    assert outcome == [None]
    assert Hashtag.objects.filter(name__in=["in-transaction", "autocommit"]).count() == 2


def test_reads_outside_a_transaction_never_take_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    from backchannel.db.sqlite3 import base

    lock = _WatchedLock()
    monkeypatch.setattr(base, "_writer", lock)
    lock.acquire()  # another writer's turn: a read must not wait for it
    try:
        assert not Hashtag.objects.filter(name="nothing").exists()
    finally:
        lock.release()
