"""What each `backchannel` command does, once Django is set up (cli.py parses the command
line first, so `backchannel caution` starts without Django)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable

import uvicorn
from django.conf import settings
from django.core.management import call_command, execute_from_command_line

from backchannel.accounts.actions import create_api_token_for_handle
from backchannel.accounts.queries import get_person
from backchannel.archive.actions import purge_expired
from backchannel.archive.importer import import_document
from backchannel.demo import seed_demo
from backchannel.errors import ActionError
from backchannel.federation.actions import prune as prune_federation
from backchannel.notifications.digest import send_digests
from backchannel.privacy.deletion import purge_due_accounts
from backchannel.realtime.actions import prune_stream_events
from backchannel.worker import WorkerProcess, run_forever, run_until_done


def _migrate(verbosity: int = 1) -> None:
    call_command("migrate", interactive=False, verbosity=verbosity)


def _serve(host: str, port: int, workers: int = 1) -> None:
    # Each worker is its own process with its own hub; they find each other's events through
    # Redis (REDIS_URL) or, without it, by reading the shared outbox (see realtime/relay.py).
    os.environ["BACKCHANNEL_WORKERS"] = str(workers)
    # The queue's worker (federation's deliveries): one child process for all of them.
    queue = WorkerProcess() if settings.BACKCHANNEL_WORKER else None
    if queue is not None:
        queue.start()
    try:
        uvicorn.run(
            "backchannel.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="on",
            proxy_headers=True,
            log_level=os.environ.get("LOG_LEVEL", "info").lower(),
            timeout_graceful_shutdown=3,
        )
    finally:
        if queue is not None:
            queue.stop()


def worker(args: argparse.Namespace) -> int:
    if args.once:
        run_until_done()
    else:
        run_forever(niceness=args.niceness, parent=args.child_of)
    return 0


def migrate(args: argparse.Namespace) -> int:
    _migrate()
    return 0


def serve(args: argparse.Namespace) -> int:
    if args.migrate:
        _migrate(verbosity=0)
    _serve(args.host, args.port, args.workers)
    return 0


def demo(args: argparse.Namespace) -> int:
    print("== 3/4 migrating the database", flush=True)
    _migrate(verbosity=0)
    print("== 4/4 seeding the demo conference (running now, in this machine's time zone)")
    summary = seed_demo()
    print(summary.describe(f"http://{args.host}:{args.port}"), flush=True)
    if not args.no_serve:
        _serve(args.host, args.port)
    return 0


def prune(args: argparse.Namespace) -> int:
    window = dt.timedelta(hours=args.hours) if args.hours is not None else None
    print(f"{prune_stream_events(older_than=window)} stream events deleted")
    pruned = prune_federation()
    print(
        f"{pruned['received']} received and {pruned['sent']} sent federation records deleted "
        "(older than 30 days)"
    )
    # The queue's finished tasks, after two weeks (django-tasks-db's own command).
    call_command("prune_db_task_results", min_age_days=14, verbosity=0)
    return 0


def purge_accounts(args: argparse.Namespace) -> int:
    print(f"{purge_due_accounts()} account(s) erased")
    return 0


def import_archive(args: argparse.Namespace) -> int:
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
    return 0


def purge_events(args: argparse.Namespace) -> int:
    purged = purge_expired()
    print(f"{len(purged)} event(s) purged{': ' + ', '.join(purged) if purged else ''}")
    return 0


def digests(args: argparse.Namespace) -> int:
    print(f"{send_digests()} digest(s) sent")
    return 0


def token(args: argparse.Namespace) -> int:
    try:
        _, raw = create_api_token_for_handle(args.handle, name=args.name)
    except ActionError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(raw)
    return 0


def manage(args: argparse.Namespace) -> int:
    execute_from_command_line(["backchannel manage", *args.args])
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "migrate": migrate,
    "serve": serve,
    "worker": worker,
    "demo": demo,
    "prune": prune,
    "purge-accounts": purge_accounts,
    "import-archive": import_archive,
    "purge-events": purge_events,
    "send-digests": digests,
    "token": token,
    "manage": manage,
}


def run(args: argparse.Namespace) -> int:
    return COMMANDS[args.command](args)
