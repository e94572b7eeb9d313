"""The `backchannel` command: serve, demo, migrate, prune, purge-accounts, send-digests, token,
caution, manage."""

from __future__ import annotations

import argparse
import os
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backchannel.settings")
    import django  # once the settings module is named: the command starts without Django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="backchannel", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p_serve = commands.add_parser("serve", help="serve the site over HTTP (ASGI, uvicorn)")
    p_serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p_serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p_serve.add_argument("--workers", type=int, default=1)
    p_serve.add_argument("--migrate", action="store_true", help="apply migrations first")

    p_demo = commands.add_parser("demo", help="migrate, seed the demo event ti2012, and serve it")
    p_demo.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p_demo.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p_demo.add_argument("--no-serve", action="store_true", help="seed only")

    commands.add_parser("migrate", help="create or update the database tables")

    p_worker = commands.add_parser(
        "worker",
        help="run the queue's worker (federation's deliveries) on its own; `serve` runs one "
        "unless BACKCHANNEL_WORKER=false",
    )
    p_worker.add_argument("--once", action="store_true", help="run what is due, then stop")
    p_worker.add_argument(
        "--niceness", type=int, default=0, help="lower the worker's CPU priority by this much"
    )
    # `backchannel serve` starts its worker with this: the worker ends when that process does.
    p_worker.add_argument("--child-of", type=int, default=None, help=argparse.SUPPRESS)

    p_prune = commands.add_parser(
        "prune",
        help="delete stream events past the retention window, and old federation and queue "
        "records (posts stay)",
    )
    p_prune.add_argument(
        "--hours", type=int, default=None, help="override BACKCHANNEL_STREAM_RETENTION_HOURS"
    )

    commands.add_parser(
        "purge-accounts", help="erase accounts whose deletion grace period is over (schedule it)"
    )
    p_import = commands.add_parser(
        "import-archive", help="import an event's JSON export as a new event"
    )
    p_import.add_argument("file")
    p_import.add_argument("--slug", required=True, help="the new event's address")
    p_import.add_argument("--as", dest="handle", required=True, help="its organiser's handle")
    commands.add_parser(
        "purge-events",
        help="delete the conversation of events whose retention period is over (schedule it)",
    )
    commands.add_parser(
        "send-digests", help="e-mail each person what they have not seen yet (schedule it)"
    )

    p_token = commands.add_parser("token", help="API tokens")
    token_commands = p_token.add_subparsers(dest="token_command", required=True)
    p_create = token_commands.add_parser("create", help="create a token and print it")
    p_create.add_argument("handle")
    p_create.add_argument("--name", default="cli")

    commands.add_parser(
        "caution",
        help='check posts for sensitive details: JSON lines {"id", "text"} in, findings out',
    )

    p_manage = commands.add_parser("manage", help="run a Django management command")
    p_manage.add_argument("args", nargs=argparse.REMAINDER)

    args = parser.parse_args(argv)
    if args.command == "caution":
        # Pure text work: no database, no Django, so the caution check starts fast.
        from backchannel.care.lines import run

        return run(sys.stdin, sys.stdout)
    if args.command == "demo" and "BACKCHANNEL_SITE_URL" not in os.environ:
        # The demo federates at its own loopback address, so a fediverse server on this
        # machine can find and follow it (docs/federation.md). Set before Django reads it.
        os.environ["BACKCHANNEL_SITE_URL"] = f"http://{args.host}:{args.port}"
        os.environ.setdefault("BACKCHANNEL_FEDERATION_ALLOW_HTTP", "true")
    _setup_django()
    # After django.setup(), like everything Django.
    from django.db import DatabaseError

    try:
        return _run(args)
    except DatabaseError as exc:
        print(
            f"The database is not ready ({exc}). Run `backchannel migrate` first, and check "
            "DATABASE_URL.",
            file=sys.stderr,
        )
        return 1


def _run(args: argparse.Namespace) -> int:
    # Here, not at the top: the commands import models, which load only after django.setup().
    from backchannel import commands

    return commands.run(args)


if __name__ == "__main__":
    sys.exit(main())
