"""SQLite, with a process's writers taking turns in order.

SQLite allows one writer at a time. Left to itself, a writer that finds the database locked
sleeps in growing steps and tries again, so under load some writers wait long while others
slip in (ingest p99 298 ms and max 1.3 s at 16 posts in flight, bench/ingest.py). Here the
writers of one process queue on a lock taken with the write transaction (`BEGIN IMMEDIATE`)
and released with its commit or rollback; SQLite's own busy timeout still arbitrates between
processes. A write outside a transaction (autocommit: a token's last use, the queue's
bookkeeping) takes the same lock for its one statement: left to SQLite's busy handler it would
sleep and retry while this process's writers hand the database on to each other, for seconds
under load.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.backends.sqlite3 import base

_writer = threading.Lock()

# How a statement that writes begins (Django's SQL is upper case; a leading WITH is not used).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class _CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor; a write outside this connection's transaction takes the writers' lock
    for its statement."""

    holder: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if self.holder._holds_writer or not query.lstrip()[:7].upper().startswith(_WRITES):
            return super().execute(query, params)
        with _writer:
            return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        if self.holder._holds_writer or not query.lstrip()[:7].upper().startswith(_WRITES):
            return super().executemany(query, param_list)
        with _writer:
            return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer = False

    def create_cursor(self, name: str | None = None) -> Any:
        if self._holds_writer:  # inside this connection's write transaction: Django's cursor
            return super().create_cursor(name)
        cursor = self.connection.cursor(factory=_CursorWrapper)
        cursor.holder = self
        return cursor

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
