"""SQLite, with a process's writers taking turns in order.

SQLite allows one writer at a time. Left to itself, a writer that finds the database locked
sleeps in growing steps and tries again, so under load some writers wait long while others
slip in (ingest p99 298 ms and max 1.3 s at 16 posts in flight, bench/ingest.py). Here the
writers of one process queue on a lock taken with the write transaction (`BEGIN IMMEDIATE`)
and released with its commit or rollback; SQLite's own busy timeout still arbitrates between
processes.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.backends.sqlite3 import base

_writer = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer = False

    def _start_transaction_under_autocommit(self) -> None:
        _writer.acquire()
        self._holds_writer = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _release_writer(self) -> None:
        if self._holds_writer:
            self._holds_writer = False
            _writer.release()
