"""SQLite writers of one process take turns on a lock held for exactly their transaction."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from backchannel.db.sqlite3.base import _writer
from backchannel.feed.models import Hashtag


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
