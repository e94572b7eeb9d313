"""Plain SQL for the hot write (a post, issue #17), with the ORM's own conversions.

The ORM builds every statement's text anew: for a one-row read that is about ten times the
time the database takes to answer it (bench/reconnect.py, docs/performance.md). Here the text
is built once per process from the models' metadata, and rows go in and out through the same
field conversions the ORM applies (`get_db_prep_save` on the way in, the backend's and the
field's converters on the way out), so a row read here is the instance the ORM would give.

What is skipped: model signals (`pre_save`, `post_save`; nothing in Backchannel connects them,
`tests/db/test_plain.py` checks) and `Model.save()` overrides, so only use `insert` for
models without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]


# A process talks to one database, so what depends on its engine is asked once. Every use
# of `connection` goes through a per-thread lookup (asgiref's Local): forty of them a post.
@cache
def quote(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


@cache
def vendor() -> str:
    return connection.vendor


class Columns:
    """A model's columns in a SELECT under a table alias, and how to turn them back into an
    instance: `Columns(User, "u").sql` → `u."id", u."username", …`."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in fields]
        self.sql = ", ".join(f"{alias}.{quote(f.column)}" for f in fields)
        self.width = len(fields)
        # The compiler's converters for each column (SQLite's text dates become aware
        # datetimes, its integers booleans, JSON text a dict...).
        self.converters: list[tuple[int, list[Converter], Any]] = []
        for i, f in enumerate(fields):
            col = f.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((i, found, col))
        self.plain_attributes = _plain_attributes(model)

        # Whether every converted value is immutable (no JSON, no bytes): then converted values
        # may be kept and shared by the instances of several requests (db/rowcache.py).
        self.shareable = not any(
            isinstance(f, models.JSONField | models.BinaryField) for f in fields
        )

    def instance(self, row: Sequence[Any], start: int = 0) -> Any:
        """The instance from `row[start:start + width]`; None when its id is NULL (the
        missing side of a LEFT JOIN)."""
        return self.built(self.convert(row, start))

    def convert(self, row: Sequence[Any], start: int = 0) -> list[Any]:
        """`row[start:start + width]` through the columns' converters, as the ORM reads it."""
        values = list(row[start : start + self.width])
        if values[0] is None:
            return values
        db = connections[DEFAULT_DB_ALIAS]  # what `connection` stands for, looked up once
        for i, converters, col in self.converters:
            value = values[i]
            for convert in converters:
                value = convert(value, col, db)
            values[i] = value
        return values

    def built(self, values: Sequence[Any], start: int = 0) -> Any:
        """The instance from converted values (`convert`, `converted`) at `start`."""
        values = list(values[start : start + self.width])
        if values[0] is None:
            return None
        if not self.plain_attributes:
            return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)
        # What from_db() makes, without Model.__init__ setting each field through its
        # descriptor (a twentieth of a post's instructions, issue #17): see _plain_attributes.
        new = self.model.__new__(self.model)
        state = ModelState()
        state.adding, state.db = False, DEFAULT_DB_ALIAS
        new.__dict__.update(zip(self.attnames, values, strict=True))
        new._state = state
        return new


# The descriptors Model.__init__ sets a field through, which for a new instance only store
# the value in its __dict__.
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _plain_attributes(model: type[Model]) -> bool:
    """Whether an instance read from a row is its fields' values in its __dict__ and a state,
    as Model.__init__ and from_db() would leave it: neither is overridden, nothing listens to
    the model's init signals, and every field is stored by a plain descriptor.
    tests/db/test_plain.py compares such instances with the ORM's, attribute for attribute."""
    return (
        model.__init__ is Model.__init__
        and getattr(model.from_db, "__func__", None) is getattr(Model.from_db, "__func__", None)
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(
            type(getattr(model, f.attname, None)) in _PLAIN_DESCRIPTORS
            for f in model._meta.concrete_fields
        )
    )


@cache
def columns(model: type[Model], alias: str) -> Columns:
    return Columns(model, alias)


@cache
def converter(model: type[Model], attname: str, alias: str) -> Callable[[Any], Any]:
    """One column's value as the ORM reads it (the backend's and the field's converters): for
    a statement that selects a few columns rather than a whole row (`Columns`)."""
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    col = field.get_col(alias)
    found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)

    def convert(value: Any) -> Any:
        db = connections[DEFAULT_DB_ALIAS]
        for each in found:
            value = each(value, col, db)
        return value

    return convert


def converted(row: Sequence[Any], *groups: Columns) -> tuple[Any, ...]:
    """A row of several models' columns, each converted as `instance()` would: a cache may
    keep it and build each request's instances with `built()`, skipping the converters
    (sharing the values is safe: `shareable` groups hold only immutable ones)."""
    values: list[Any] = []
    for group in groups:
        if not group.shareable:
            raise ValueError(f"{group.model.__name__}'s values are mutable: keep the raw row")
        values += group.convert(row, len(values))
    return tuple(values)


def execute(cursor: Any, sql: str, params: Sequence[Any]) -> None:
    """`cursor.execute(sql, params)` for a statement with `%s` placeholders.

    On SQLite, Django's driver turns `%s` into `?` with a regular expression at every call:
    for one of these statements that cost more than running it (4% of a post's CPU, py-spy,
    docs/performance.md). Given named parameters it only fills in their names, so on SQLite
    the statement is rewritten to named ones once, here."""
    if not params or vendor() != "sqlite":
        cursor.execute(sql, params)
        return
    named, names = _named(sql)
    cursor.execute(named, dict(zip(names, params, strict=True)))


_PLACEHOLDER = re.compile(r"(?<!%)%s")  # as Django reads them: "%%s" is a literal "%s"


@lru_cache(maxsize=512)  # the statements are few; IN (...) lists make a few more
def _named(sql: str) -> tuple[str, tuple[str, ...]]:
    names: list[str] = []

    def name(_: re.Match[str]) -> str:
        names.append(f"p{len(names)}")
        return f"%({names[-1]})s"

    return _PLACEHOLDER.sub(name, sql), tuple(names)


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
        return [tuple(row) for row in cursor.fetchall()]


# Fields whose preparation for SQLite gives back a value of these exact types unchanged:
# `get_db_prep_save` only checks it (`to_python`, `int()`, `bool()`) and SQLite adapts nothing.
# Skipping it for them was a twentieth of a post's instructions (issue #17); any other value
# or field goes through the ORM's preparation. tests/db/test_plain.py compares both.
_AS_IS_ON_SQLITE: dict[type[Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str, type(None)),
    models.TextField: (str, type(None)),
    models.BooleanField: (bool, type(None)),
    models.IntegerField: (int, type(None)),
    models.BigIntegerField: (int, type(None)),
    models.PositiveIntegerField: (int, type(None)),
    models.PositiveSmallIntegerField: (int, type(None)),
    models.SmallIntegerField: (int, type(None)),
}


def as_is_types(field: Field[Any, Any]) -> tuple[type, ...]:
    """The types of value `field` stores as they are (none: always prepare it)."""
    if vendor() != "sqlite" or type(field).pre_save is not Field.pre_save:
        return ()
    if type(field) is models.ForeignKey:
        target = type(field.target_field)
        return (int, type(None)) if target in (models.AutoField, models.BigAutoField) else ()
    return _AS_IS_ON_SQLITE.get(type(field), ())


@cache
def _insert_sql(
    model: type[Model],
) -> tuple[str, tuple[tuple[Field[Any, Any], tuple[type, ...], bool], ...]]:
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    names = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    pk = quote(model._meta.pk.column)
    sql = f"INSERT INTO {table(model)} ({names}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608
    return sql, tuple((f, as_is_types(f), utc_as_text(f)) for f in fields)


def utc_as_text(field: Field[Any, Any]) -> bool:
    """Whether `field` is a plain DateTimeField that SQLite stores as UTC text: an aware UTC
    datetime is then prepared as `str()` of it without its zone, which is what Django's
    `adapt_datetimefield_value` returns, after three settings reads through LazyObject and a
    zone conversion that changes nothing (a thirtieth of a post's instructions, issue #17).
    tests/db/test_plain.py compares both."""
    return (
        vendor() == "sqlite"
        and type(field) is models.DateTimeField
        and settings.USE_TZ
        and connection.timezone is dt.UTC
    )


def prepare(
    instance: Model, field: Field[Any, Any], as_is: tuple[type, ...], utc_text: bool = False
) -> Any:
    """The field's value of a new instance as the database gets it, as `save()` would."""
    if as_is:
        value = getattr(instance, field.attname)  # what Field.pre_save reads
        if type(value) in as_is:
            return value
    value = field.pre_save(instance, True)
    if utc_text and type(value) is dt.datetime and value.tzinfo is dt.UTC:
        return str(value.replace(tzinfo=None))
    return field.get_db_prep_save(value, connection)


# How `new` fills each field of a model: its name, attname, and for a foreign key the
# target's attname and model (None for other fields).
_NewField = tuple[str, str, str | None, type[Model] | None, Field[Any, Any]]


@cache
def _new_fields(model: type[Model]) -> tuple[_NewField, ...] | None:
    """The fields `new` sets for `model`, or None where only Model.__init__ will do: an
    overridden init, init signals, a field stored through its own descriptor, a relation
    other than a plain foreign key, or database routers (which choose an instance's
    database as its relations are set)."""
    if not _plain_attributes(model) or settings.DATABASE_ROUTERS:
        return None
    found: list[_NewField] = []
    for field in model._meta.fields:  # what Model.__init__ walks when given keywords
        if field.column is None or field.generated:
            continue
        if field.is_relation:
            if type(field) is not models.ForeignKey:
                return None
            ((_, target),) = field.related_fields
            related = field.remote_field.model._meta.concrete_model
            found.append((field.name, field.attname, target.attname, related, field))
        else:
            found.append((field.name, field.attname, None, None, field))
    return tuple(found)


def new(model: type[M], **values: Any) -> M:
    """`model(**values)`: a new, unsaved instance, built as Model.__init__ builds it (each
    value stored, a related instance cached and its id taken, the rest the fields'
    defaults) without walking it through every field's descriptor, which was a fortieth of a
    post's instructions (issue #17). Anything unusual (another keyword, a related instance
    of the wrong kind) is left to Model.__init__, with its errors.
    tests/db/test_plain.py compares both, attribute for attribute."""
    fields = _new_fields(model)
    if fields is None:
        return model(**values)
    instance = model.__new__(model)
    state = instance._state = ModelState()
    attributes = instance.__dict__
    used = 0
    for name, attname, target, related, field in fields:
        if target is not None and name in values:
            used += 1
            related_instance = values[name]
            if related_instance is not None:
                if not isinstance(related_instance, related):  # type: ignore[arg-type]
                    return model(**values)
                # As the descriptor does without routers: the instance takes the related
                # one's database, and both must then agree.
                theirs = related_instance._state
                state.db = state.db or theirs.db or DEFAULT_DB_ALIAS
                theirs.db = theirs.db or state.db
                if theirs.db != state.db:
                    return model(**values)
            attributes[attname] = (
                getattr(related_instance, target) if related_instance is not None else None
            )
            state.fields_cache[name] = related_instance
        elif attname in values:
            used += 1
            attributes[attname] = values[attname]
        else:
            attributes[attname] = field.get_default()
    if used != len(values):
        return model(**values)
    return instance


def create(model: type[M], **values: Any) -> M:
    """`model.objects.create(**values)` in one prepared statement, without signals
    (`insert`)."""
    return insert(new(model, **values))


def insert(instance: M) -> M:
    """INSERT a new, unsaved instance as `instance.save()` would (defaults, `auto_now_add`,
    the fields' own preparation) in one prepared statement; sets its id. No signals."""
    sql, fields = _insert_sql(type(instance))
    params = [prepare(instance, f, as_is, utc) for f, as_is, utc in fields]
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    return instance
