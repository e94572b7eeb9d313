"""Running the durable queue in a test: what the worker would do, in the test's own thread and
transaction (the worker's loop closes connections between tasks, which a test's transaction
cannot survive)."""

from __future__ import annotations

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def run_queued(limit: int = 200) -> int:
    """Run every task that is due, including those they enqueue; how many ran."""
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if result is None:
            return ran
        result.claim("test")
        task = result.task
        try:
            value = task.call(*result.task_result.args, **result.task_result.kwargs)
        except Exception as exc:
            result.set_failed(exc)
            raise
        result.set_successful(value)
        ran += 1
    raise AssertionError(f"the queue did not empty after {limit} tasks")


def waiting() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


def run_worker_until_done() -> None:
    """django-tasks-db's own worker loop (backchannel/worker.py) until nothing is due: for
    tests against the running server, whose writes are committed."""
    from backchannel.worker import run_until_done

    run_until_done()
