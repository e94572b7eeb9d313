"""The durable queue's worker (django-tasks with its database backend, django-tasks-db): one
loop that takes the next due task, runs it and records how it went. `backchannel serve` starts
one as a child process unless BACKCHANNEL_WORKER=false (a process of its own, at a lower CPU
priority, so a burst of deliveries does not hold up the live feeds: measured in
docs/performance.md), restarts it if it dies, and stops it on the way out; `backchannel worker`
runs one on its own (docs/deployment.md). Several may run at once: each task and each
delivery is taken by one. What a domain must do when a worker starts (take up what a killed
one left) is named in BACKCHANNEL_WORKER_STARTUP, so this machinery knows no domain."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import threading

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

log = logging.getLogger(__name__)

# How much lower the worker's CPU priority is than the server's (`nice`).
NICENESS = 10
_PR_SET_PDEATHSIG = 1


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


def _exit_with_parent(parent: int) -> None:
    """A worker started by `backchannel serve` ends when the server does, however the server
    ended (killed included): what it was sending is taken up by the next worker. On Linux the
    kernel kills it at once (PR_SET_PDEATHSIG); elsewhere it notices within a second."""
    if sys.platform == "linux":
        # No libc by that name (OSError): the watch below does it.
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the server was gone before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(1):
        if os.getppid() != parent:
            os._exit(1)


def run_forever(*, niceness: int = 0, parent: int | None = None) -> None:
    """The worker in the foreground (`backchannel worker`): Ctrl-C or SIGTERM finish the task
    under way and stop."""
    if niceness:
        os.nice(niceness)
    if parent is not None:
        _exit_with_parent(parent)
    worker = _worker(batch=False)
    worker.configure_signals()
    start_up()
    worker.run()


def run_until_done() -> None:
    """Run every task that is due, then return (tests, and `backchannel worker --once`)."""
    _worker(batch=True).run()


class WorkerProcess:
    """The worker as a child of `backchannel serve`, restarted when it stops unasked."""

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._supervise, name="queue-worker", daemon=True)

    def _spawn(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "backchannel.cli", "worker", "--child-of"]
        # Our own interpreter running our own command: nothing here comes from outside.
        # A session of its own: Ctrl-C in the terminal stops the server, which stops it.
        return subprocess.Popen(  # noqa: S603
            [*command, str(os.getpid()), "--niceness", str(NICENESS)], start_new_session=True
        )

    def _supervise(self) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            self._process = self._spawn()
            code = self._process.wait()
            if self._stopping.is_set():
                return
            log.warning("The queue worker stopped (exit %s); starting it again in %ss", code, delay)
            self._stopping.wait(delay)
            delay = min(delay * 2, 60.0)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
