"""Sending activities to other servers, through the durable queue (docs/federation.md).

`send()` writes the activity and one `Delivery` per inbox in the caller's transaction and
enqueues the `deliver_due` task (federation/tasks.py) in the same transaction: what commits is
sent, what rolls back never is. The task takes the deliveries that are due under a lease,
sends them at once (a few connections per server at most), and records each answer: 2xx is
delivered; a 4xx other than 408 and 429 will never succeed and is given up; anything else is
tried again later, waiting longer each time, and given up after `GIVE_UP_AFTER`. A worker
killed mid-send leaves its deliveries leased: when the lease passes, they are taken again.
The receiver may then see an activity twice, with the same id: ActivityPub servers (ours too)
ignore an id they already have."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from backchannel.feed.models import Post

from . import fetch, signatures
from .actions import Owner, key_of
from .models import Activity, ActorKey, Delivery, Instance
from .objects import actor_id
from .remote import domain_of

GIVE_UP_AFTER = dt.timedelta(days=3)
LEASE = dt.timedelta(minutes=2)
BATCH = 1000
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, ... up to 6 hours between attempts."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def owner_of(key: ActorKey) -> Owner:
    owner = key.user or key.event or key.session
    assert owner is not None  # the check constraint: exactly one
    return owner


def send(
    sender: Owner, document: dict[str, Any], inboxes: Iterable[str], *, post: Post | None = None
) -> Activity | None:
    """Queue `document`, from `sender`, to each inbox once; None when there is nowhere to
    send it. Inside the caller's transaction. Blocked servers get nothing."""
    wanted = {inbox for inbox in inboxes if inbox}
    if not wanted:
        return None
    blocked = set(
        Instance.objects.filter(policy=Instance.Policy.BLOCK).values_list("domain", flat=True)
    )
    wanted = {inbox for inbox in wanted if domain_of(inbox) not in blocked}
    if not wanted:
        return None
    from .tasks import nudge_delivery  # the task module imports this one

    with transaction.atomic():
        activity = Activity.objects.create(
            uri=document["id"],
            kind=document["type"],
            sender=key_of(sender),
            document=document,
            post=post,
        )
        now = timezone.now()
        Delivery.objects.bulk_create(
            [
                Delivery(
                    activity=activity, inbox=inbox, domain=domain_of(inbox), next_attempt_at=now
                )
                for inbox in sorted(wanted)
            ]
        )
        nudge_delivery()
    return activity


@dataclass
class _Outcome:
    delivery: Delivery
    status: int | None
    error: str


def _signed_body(activity: Activity) -> bytes:
    return json.dumps(activity.document).encode()


async def _post_all(
    deliveries: list[Delivery], keys: dict[int, tuple[str, rsa.RSAPrivateKey]]
) -> list[_Outcome]:
    per_host = settings.BACKCHANNEL_FEDERATION_PER_INSTANCE
    gates: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
    bodies: dict[int, bytes] = {}

    async def one(http: httpx.AsyncClient, delivery: Delivery) -> _Outcome:
        activity = delivery.activity
        body = bodies.setdefault(activity.pk, _signed_body(activity))
        key_id, private_key = keys[activity.sender_id]
        headers = signatures.sign(
            "POST",
            delivery.inbox,
            key_id=key_id,
            private_pem="",
            private_key=private_key,
            body=body,
        )
        headers.update({"Content-Type": fetch.ACTIVITY_JSON, "User-Agent": fetch.USER_AGENT})
        async with gates[delivery.domain]:
            try:
                response = await http.post(delivery.inbox, content=body, headers=headers)
            except httpx.HTTPError as exc:
                return _Outcome(delivery, None, f"{type(exc).__name__}: {exc}"[:300])
        return _Outcome(delivery, response.status_code, "")

    async with fetch.async_client(per_host=per_host) as http:
        return await asyncio.gather(*(one(http, delivery) for delivery in deliveries))


def _claim(limit: int) -> list[Delivery]:
    """Take up to `limit` due deliveries under a lease, so no other worker sends them."""
    now = timezone.now()
    due = Q(state=Delivery.State.PENDING, next_attempt_at__lte=now) & (
        Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    )
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids).update(leased_until=now + LEASE)
    return list(Delivery.objects.select_related("activity").filter(pk__in=ids).order_by("pk"))


def _record(outcomes: list[_Outcome]) -> None:
    now = timezone.now()
    done, failed = [], []
    for outcome in outcomes:
        delivery = outcome.delivery
        delivery.attempts += 1
        delivery.leased_until = None
        status = outcome.status
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.delivered_at, delivery.last_error = (
                Delivery.State.DELIVERED,
                now,
                "",
            )
            done.append(delivery)
            continue
        delivery.last_error = outcome.error or f"answered {status}"
        permanent = status is not None and 400 <= status < 500 and status not in (408, 429)
        if permanent or now - delivery.created_at > GIVE_UP_AFTER:
            delivery.state = Delivery.State.DEAD
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        failed.append(delivery)
    fields = ["attempts", "leased_until", "state", "delivered_at", "last_error", "next_attempt_at"]
    Delivery.objects.bulk_update(done + failed, fields)


def _keys(deliveries: list[Delivery]) -> dict[int, tuple[str, rsa.RSAPrivateKey]]:
    keys = {}
    for key in ActorKey.objects.filter(pk__in={d.activity.sender_id for d in deliveries}):
        owner = owner_of(key)
        keys[key.pk] = (f"{actor_id(owner)}#main-key", signatures.load_private_key(key.private_pem))
    return keys


def deliver_due(limit: int = BATCH) -> int:
    """Send what is due (at most `limit`); how many were tried."""
    deliveries = _claim(limit)
    if not deliveries:
        return 0
    outcomes = asyncio.run(_post_all(deliveries, _keys(deliveries)))
    _record(outcomes)
    return len(outcomes)


def next_due() -> dt.datetime | None:
    """When a pending delivery may next be tried: its next attempt, or when a lease a worker
    holds on it runs out (that worker may have been killed)."""
    now = timezone.now()
    pending = Delivery.objects.filter(state=Delivery.State.PENDING)
    free = pending.filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
    times = [
        free.aggregate(t=Min("next_attempt_at"))["t"],
        pending.filter(leased_until__gte=now).aggregate(t=Min("leased_until"))["t"],
    ]
    found = [t for t in times if t is not None]
    return min(found) if found else None
