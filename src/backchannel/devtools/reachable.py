"""`python -m backchannel.devtools.reachable URL`: exit 0 when that PostgreSQL server answers.

Used by `make test` to decide whether to run the suite on PostgreSQL. Connects to the server's
`postgres` database, because the test run creates its own database there.
"""

from __future__ import annotations

import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
