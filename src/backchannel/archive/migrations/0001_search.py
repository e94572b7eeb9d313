"""Full-text search indexes, one per database: SQLite FTS5 tables kept in step with posts and
questions by triggers (so every write path, purges and erasure included, updates them), and
PostgreSQL GIN indexes on the same expression the search queries use."""

# ruff: noqa: S608 - every name formatted into SQL here is one of the constants below.
from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE = [
    (table, index)
    for table, index in (("feed_post", "search_post"), ("qa_question", "search_question"))
]


def _sqlite_forwards(cursor: Any) -> None:
    for table, index in SQLITE:
        cursor.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5(body, content='{table}', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        cursor.execute(
            f"CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {index}(rowid, body) VALUES (new.id, new.body); END"
        )
        cursor.execute(
            f"CREATE TRIGGER {index}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {index}({index}, rowid, body) VALUES ('delete', old.id, old.body); END"
        )
        cursor.execute(
            f"CREATE TRIGGER {index}_au AFTER UPDATE OF body ON {table} BEGIN "
            f"INSERT INTO {index}({index}, rowid, body) VALUES ('delete', old.id, old.body); "
            f"INSERT INTO {index}(rowid, body) VALUES (new.id, new.body); END"
        )
        cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def _sqlite_backwards(cursor: Any) -> None:
    for _, index in SQLITE:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {index}")


POSTGRES = [("feed_post", "search_post_body"), ("qa_question", "search_question_body")]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            _sqlite_forwards(cursor)
        elif vendor == "postgresql":
            for table, index in POSTGRES:
                cursor.execute(
                    f"CREATE INDEX {index} ON {table} USING GIN "
                    "(to_tsvector('english'::regconfig, COALESCE(body, '')))"
                )


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            _sqlite_backwards(cursor)
        elif vendor == "postgresql":
            for _, index in POSTGRES:
                cursor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("feed", "0006_post_coverage"),
        ("qa", "0002_polls"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
