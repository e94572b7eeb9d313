"""The durable queue's worker (django-tasks with its database backend, django-tasks-db): one
loop that takes the next due task, runs it and records how it went. `backchannel serve` runs
one in a thread of each server process unless BACKCHANNEL_WORKER=false; `backchannel worker`
runs one on its own (docs/deployment.md). Several may run at once: each task is claimed by
one. What a domain must do when a worker starts (take up what a killed one left) is named in
BACKCHANNEL_WORKER_STARTUP, so this machinery knows no domain."""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

log = logging.getLogger(__name__)


def _worker(*, batch: bool) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=settings.BACKCHANNEL_WORKER_INTERVAL,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}"[:64],
        excluded_queue_names=[],
    )


def start_up() -> None:
    for path in settings.BACKCHANNEL_WORKER_STARTUP:
        import_string(path)()


def run_forever() -> None:
    """The worker in the foreground (`backchannel worker`): Ctrl-C or SIGTERM finish the task
    under way and stop."""
    worker = _worker(batch=False)
    worker.configure_signals()
    start_up()
    worker.run()


def run_until_done() -> None:
    """Run every task that is due, then return (tests, and `backchannel worker --once`)."""
    _worker(batch=True).run()


class WorkerThread:
    """A worker inside a server process (`backchannel serve`)."""

    def __init__(self) -> None:
        self._worker = _worker(batch=False)
        self._thread = threading.Thread(target=self._run, name="tasks-worker", daemon=True)

    def _run(self) -> None:
        try:
            start_up()
            self._worker.run()
        except Exception:  # pragma: no cover - logged; the site goes on serving
            log.exception("The task worker stopped")
        finally:
            close_old_connections()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._worker.running = False
