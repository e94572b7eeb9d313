"""Rows the post path reads on every request, kept in this process for a few seconds.

A post by token reads the token with its person, the session with its event and room, and
the event's word filters: statements that answer the same rows thousands of times between two
changes to them (issue #17). A `RowCache` keeps such rows: the database's answer, converted
as the ORM reads it, immutable values only (`plain.converted`); never model instances: every
request still builds its own from the row and runs the same permission checks.

Correctness rests on every change to a cached table reaching the caches that hold it:

- A model whose rows may be cached says so by its manager's queryset being
  `ChangeNotifyingQuerySet`; `watch_models()` (at start-up, realtime/apps.py) connects its
  `post_save` and `post_delete`, and the `post_delete` of every model whose deletion sets one
  of its foreign keys to NULL (deleting a room empties `Session.room`). `update()` on its
  queryset tells too. tests/db/test_rowcache.py checks that these are the only ways those
  tables change and that each one clears.
- A change clears this process's caches of that model at once and again when the
  transaction commits, and after commit announces it to every other process (the control
  topic: realtime/control.py), which clear theirs.
- A row read inside a transaction is never kept (it may be one that will roll back), and a
  row whose reading overlapped a change is not kept either (a generation counter).
- Whatever happens, a row is kept `BACKCHANNEL_ROW_CACHE_SECONDS` at most (a broker outage,
  a process that missed the announcement), and a cache holds `size` rows at most.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

Row = tuple[Any, ...]
M = TypeVar("M", bound=Model)

# Every clear takes a new number from one counter: next() on it is atomic under the GIL.
_generations = itertools.count(1)
_caches: list[RowCache] = []


class RowCache:
    """Rows by key, read through `load` on a miss: `cache.get(key, load)`."""

    def __init__(self, name: str, models: Iterable[type[Model]], *, size: int = 10_000) -> None:
        self.name = name
        self.labels = frozenset(m._meta.label_lower for m in models)
        self.seconds: float = settings.BACKCHANNEL_ROW_CACHE_SECONDS
        self.size = size
        self._rows: dict[Hashable, tuple[Row, float]] = {}
        self._generation = next(_generations)
        _caches.append(self)

    def get(self, key: Hashable, load: Callable[[], Row | None]) -> Row | None:
        now = time.monotonic()
        kept = self._rows.get(key)
        if kept is not None and now - kept[1] < self.seconds:
            return kept[0]
        generation = self._generation
        row = load()
        if row is not None and generation == self._generation and not connection.in_atomic_block:
            if len(self._rows) >= self.size:
                self._rows.clear()
            self._rows[key] = (row, now)
            if generation != self._generation:  # a clear ran while it was being stored
                self._rows.pop(key, None)
        return row

    def discard(self, key: Hashable) -> None:
        self._rows.pop(key, None)

    def clear(self) -> None:
        self._generation = next(_generations)
        self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)


def forget(labels: Iterable[str]) -> None:
    """Clear this process's caches that hold rows of these models ("accounts.user")."""
    changed = set(labels)
    for cache in _caches:
        if cache.labels & changed:
            cache.clear()


def clear_all() -> None:
    for cache in _caches:
        cache.clear()


# Who tells the other processes (realtime/apps.py registers the control topic); called after
# commit with the labels of the models that changed.
Announcer = Callable[[list[str]], None]
_announcer: list[Announcer] = []


def set_announcer(announce: Announcer) -> None:
    _announcer[:] = [announce]


class _Pending(threading.local):
    """The models changed by this thread's transaction, not yet announced."""

    def __init__(self) -> None:
        self.labels: set[str] = set()


_pending = _Pending()


def changed(model: type[Model]) -> None:
    """Rows of `model` changed (or will, when the current transaction commits)."""
    if model._meta.apps is not apps:
        return  # a migration's historical model: no cache holds its rows yet
    label = model._meta.label_lower
    forget([label])
    _pending.labels.add(label)
    transaction.on_commit(lambda: _committed(label))


def _committed(label: str) -> None:
    forget([label])
    # One announcement for all the changes one commit made: the first callback announces
    # them all, the rest find nothing left. (What a rolled-back transaction changed is
    # announced with the next commit: a needless clear, never a missing one.)
    labels = sorted(_pending.labels)
    _pending.labels.clear()
    if labels:
        for announce in _announcer:
            announce(labels)


class ChangeNotifyingQuerySet(models.QuerySet[M]):
    """The queryset of a model whose rows a RowCache may hold: `update()` tells the caches
    (saves and deletes tell through signals, `watch_models`)."""

    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        changed(self.model)
        return rows

    update.alters_data = True  # type: ignore[attr-defined]


def watched_models() -> list[type[Model]]:
    """The models whose default manager's queryset tells the caches of changes."""
    return [
        model
        for model in apps.get_models()
        if issubclass(
            getattr(model._default_manager, "_queryset_class", object), ChangeNotifyingQuerySet
        )
    ]


# What a deletion does to the rows pointing at it without deleting them.
_SETTING_ON_DELETE = (models.SET_NULL, models.SET_DEFAULT)


def watch_models() -> None:
    """Connect the signals by which saves and deletes reach the caches (once, at start-up)."""
    for model in watched_models():
        post_save.connect(_on_change, sender=model, dispatch_uid=f"rowcache:{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"rowcache:{model}")
        for field in model._meta.concrete_fields:
            remote = field.remote_field
            if remote is None:
                continue
            on_delete = getattr(remote, "on_delete", None)
            if on_delete in _SETTING_ON_DELETE or getattr(on_delete, "deconstruct", None):
                # models.SET(...) is a function with a `deconstruct` attribute.
                post_delete.connect(
                    _setting_deleted(model),
                    sender=remote.model,
                    dispatch_uid=f"rowcache:{model}<-{remote.model}",
                    weak=False,
                )


def _on_change(sender: type[Model], **kwargs: Any) -> None:
    changed(sender)


def _setting_deleted(model: type[Model]) -> Callable[..., None]:
    def on_delete(**kwargs: Any) -> None:
        changed(model)

    return on_delete
