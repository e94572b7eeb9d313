"""The `backchannel` command: serve, demo, migrate, prune, purge-accounts, send-digests, token,
caution, manage."""

from __future__ import annotations

import argparse
import os
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backchannel.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def serve(host: str, port: int, workers: int = 1, reload: bool = False) -> None:
    import uvicorn

    # Each worker is its own process with its own hub; they find each other's events through
    # Redis (REDIS_URL) or, without it, by reading the shared outbox (see realtime/relay.py).
    os.environ["BACKCHANNEL_WORKERS"] = str(workers)
    uvicorn.run(
        "backchannel.asgi:application",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        lifespan="on",
        proxy_headers=True,
        log_level=os.environ.get("LOG_LEVEL", "info").lower(),
        timeout_graceful_shutdown=3,
    )


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

    p_prune = commands.add_parser(
        "prune", help="delete stream events past the retention window (posts stay)"
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
    if args.command == "caution":  # pure text work: no database, no Django
        from backchannel.care.lines import run

        return run(sys.stdin, sys.stdout)
    _setup_django()
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

    if args.command == "migrate":
        _migrate()
    elif args.command == "prune":
        import datetime as dt

        from backchannel.realtime.actions import prune_stream_events

        window = dt.timedelta(hours=args.hours) if args.hours is not None else None
        print(f"{prune_stream_events(older_than=window)} stream events deleted")
    elif args.command == "purge-accounts":
        from backchannel.privacy.deletion import purge_due_accounts

        print(f"{purge_due_accounts()} account(s) erased")
    elif args.command == "import-archive":
        import json

        from backchannel.accounts.queries import get_person
        from backchannel.archive.importer import import_document
        from backchannel.errors import ActionError

        try:
            with open(args.file, encoding="utf-8") as handle:
                document = json.load(handle)
            event = import_document(get_person(args.handle), document, slug=args.slug)
        except (OSError, ValueError) as exc:
            print(f"Cannot read {args.file}: {exc}", file=sys.stderr)
            return 1
        except ActionError as exc:
            print(exc.message, file=sys.stderr)
            return 1
        print(f"Imported as /e/{event.slug}/")
    elif args.command == "purge-events":
        from backchannel.archive.actions import purge_expired

        purged = purge_expired()
        print(f"{len(purged)} event(s) purged{': ' + ', '.join(purged) if purged else ''}")
    elif args.command == "send-digests":
        from backchannel.notifications.digest import send_digests

        print(f"{send_digests()} digest(s) sent")
    elif args.command == "serve":
        if args.migrate:
            _migrate(verbosity=0)
        serve(args.host, args.port, args.workers)
    elif args.command == "demo":
        from backchannel.demo import seed_demo

        print("== 3/4 migrating the database", flush=True)
        _migrate(verbosity=0)
        print("== 4/4 seeding the demo conference (running now, in this machine's time zone)")
        summary = seed_demo()
        print(summary.describe(f"http://{args.host}:{args.port}"), flush=True)
        if not args.no_serve:
            serve(args.host, args.port)
    elif args.command == "token":
        from backchannel.accounts.actions import create_api_token_for_handle
        from backchannel.errors import ActionError

        try:
            _, raw = create_api_token_for_handle(args.handle, name=args.name)
        except ActionError as exc:
            print(exc.message, file=sys.stderr)
            return 1
        print(raw)
    elif args.command == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["backchannel manage", *args.args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
