"""Federation's work in the durable queue (django-tasks, database backend; the worker runs in
`backchannel serve` or as `backchannel worker`). Deliveries keep their own state
(federation.models.Delivery): a task is only the nudge to send what is due, so a lost or
repeated task loses or repeats nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from . import delivery, inbox, outgoing
from .models import Received

# How long a received activity may wait before a new worker takes it as left behind.
LEFT_BEHIND = dt.timedelta(minutes=2)


def _waiting(path: str, *, by: dt.datetime | None = None) -> bool:
    """A task of `path` is already waiting to run (by `by`, if given)."""
    waiting = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
    if by is not None:  # a task to run at once has the latest possible time (django-tasks-db)
        waiting = waiting.filter(Q(run_after=get_date_max()) | Q(run_after__lte=by))
    return waiting.exists()


def nudge_delivery(*, at: dt.datetime | None = None) -> None:
    """Make sure a delivery run is waiting (at `at`, or now)."""
    if not _waiting(deliver_due.module_path, by=at or timezone.now()):
        deliver_due.using(run_after=at).enqueue()


@task()
def deliver_due() -> int:
    """Send everything due, then leave one run waiting for the next retry, if any."""
    delivery.expand_left()
    sent = 0
    while tried := delivery.deliver_due():
        sent += tried
    upcoming = delivery.next_due()
    if upcoming is not None:
        with transaction.atomic():
            nudge_delivery(at=max(upcoming, timezone.now()))
    return sent


@task()
def handle_received(received_id: int) -> str:
    """Act on one activity a remote server sent us (federation/inbox.py)."""
    return inbox.handle(received_id)


def recover() -> None:
    """At a worker's start: take up what a killed worker left (deliveries under a lease are
    taken again when it passes; received activities still waiting are handled)."""
    with transaction.atomic():
        nudge_delivery()
        stale = timezone.now() - LEFT_BEHIND
        for received_id in Received.objects.filter(
            state=Received.State.PENDING, received_at__lt=stale
        ).values_list("pk", flat=True)[:1000]:
            handle_received.enqueue(received_id)


@task()
def federate_post(post_id: int) -> str:
    """A post went out here: send it to the servers following its author and groups."""
    return outgoing.publish(post_id)


@task()
def withdraw_post(post_id: int) -> str:
    """A post left the feed: ask the servers that got it to drop their copies."""
    return outgoing.withdraw(post_id)


@task()
def federate_like(post_id: int, user_id: int, on: bool) -> str:
    return outgoing.like(post_id, user_id, on)
