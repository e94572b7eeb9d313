"""SQLite: put the search triggers back on feed_post.

Adding a NOT NULL column on SQLite makes Django rebuild the table (a new table, the rows copied,
the old one dropped), and dropping a table drops its triggers: after feed 0008 (a post's
affiliation and disclaimer) new posts were no longer indexed. The FTS5 table itself survives (it
names its content table, which has the same name again). Any later migration that rebuilds
feed_post or qa_question on SQLite needs the same step after it; tests/archive/test_search.py
fails without it."""

# ruff: noqa: S608 - every name formatted into SQL here is one of the constants below.
from __future__ import annotations

from typing import Any

from django.db import migrations

TABLES = (("feed_post", "search_post"), ("qa_question", "search_question"))


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps its indexes through ALTER TABLE ADD COLUMN
    with schema_editor.connection.cursor() as cursor:
        for table, index in TABLES:
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
            cursor.execute(
                f"CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {index}(rowid, body) VALUES (new.id, new.body); END"
            )
            cursor.execute(
                f"CREATE TRIGGER {index}_ad AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {index}({index}, rowid, body) VALUES ('delete', old.id, old.body); "
                "END"
            )
            cursor.execute(
                f"CREATE TRIGGER {index}_au AFTER UPDATE OF body ON {table} BEGIN "
                f"INSERT INTO {index}({index}, rowid, body) VALUES ('delete', old.id, old.body); "
                f"INSERT INTO {index}(rowid, body) VALUES (new.id, new.body); END"
            )
            # Posts written between the rebuild and now were never indexed.
            cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_viewers"),
        ("feed", "0008_post_affiliation_post_disclaimer"),
        ("accounts", "0006_user_own_affiliation_user_own_disclaimer"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
