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
from collections.abc import Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from backchannel.feed.models import Post

from . import fetch, permissions, signatures
from .actions import Owner, key_of
from .models import Activity, ActorKey, Delivery
from .objects import actor_id
from .remote import domain_of

T = TypeVar("T")
GIVE_UP_AFTER = dt.timedelta(days=3)
BATCH = 200
FIRST_RETRY = dt.timedelta(seconds=30)
SERVERS_AT_ONCE = 64
CHUNK = 200  # delivery rows written in one transaction
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
    send it. Blocked servers get nothing.

    The activity is written with the list of its inboxes, and its deliveries in transactions
    of `CHUNK` rows (`expand`): on SQLite writers wait for each other, and a post must not wait
    while a thousand rows are written. A worker killed in between leaves the activity not yet
    expanded; the next delivery run finishes it (rows already there are skipped)."""
    domains = {inbox: domain_of(inbox) for inbox in inboxes if inbox}
    if not domains:
        return None
    allowed = permissions.allowed_servers(set(domains.values()))
    wanted = sorted(inbox for inbox, domain in domains.items() if domain in allowed)
    if not wanted:
        return None
    from .tasks import nudge_delivery  # the task module imports this one

    key = key_of(sender)
    with transaction.atomic():
        activity = Activity.objects.create(
            uri=document["id"],
            kind=document["type"],
            sender=key,
            document=document,
            post=post,
            recipients=wanted,
            expanded=False,
        )
        nudge_delivery()
    expand(activity)
    return activity


def expand(activity: Activity) -> None:
    """Write the activity's deliveries, `CHUNK` a transaction, then mark it expanded.

    Plain SQL prepared before each transaction: on SQLite the writer's lock is then held only
    for the insert itself (about a millisecond for 200 rows) and not while Django builds 200
    objects' statement, which took 50 to 70 ms on a busy core with a post waiting behind it."""
    columns = ["activity_id", "inbox", "domain", "state", "attempts", "next_attempt_at"]
    columns += ["last_error", "created_at"]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    conflict = f"{quote('activity_id')}, {quote('inbox')}"
    insert = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({names}) "  # noqa: S608 (our names)
        f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT ({conflict}) DO NOTHING"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    pending = Delivery.State.PENDING.value
    rows = [
        (activity.pk, inbox, domain_of(inbox), pending, 0, now, "", now)
        for inbox in activity.recipients
    ]
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, rows[start : start + CHUNK])
    Activity.objects.filter(pk=activity.pk).update(expanded=True)


def expand_left() -> None:
    """Finish the activities a killed worker left not yet expanded."""
    for activity in Activity.objects.filter(expanded=False).order_by("pk")[:100]:
        expand(activity)


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
    """Send every delivery: each server in a lane of its own (its own connections, at most
    `BACKCHANNEL_FEDERATION_PER_INSTANCE` requests in flight, each inbox in order),
    `SERVERS_AT_ONCE` servers at a time. One shared connection pool for hundreds of servers
    spends its time choosing connections (httpcore scans them all for every request)."""
    per_host = settings.BACKCHANNEL_FEDERATION_PER_INSTANCE
    bodies: dict[int, bytes] = {}
    by_server: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_server[delivery.domain].append(delivery)
    servers_at_once = asyncio.Semaphore(SERVERS_AT_ONCE)

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
        try:
            response = await http.post(delivery.inbox, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return _Outcome(delivery, None, f"{type(exc).__name__}: {exc}"[:300])
        return _Outcome(delivery, response.status_code, "")

    async def lane(deliveries: list[Delivery]) -> list[_Outcome]:
        # One inbox gets its activities one at a time, in the order they were made (a Delete
        # must not overtake the Create it deletes); a server's inboxes go in parallel.
        by_inbox: dict[str, list[Delivery]] = defaultdict(list)
        for delivery in sorted(deliveries, key=lambda d: d.pk):
            by_inbox[delivery.inbox].append(delivery)
        inboxes = list(by_inbox.values())
        async with servers_at_once, fetch.async_client(per_host=per_host) as http:
            outcomes: list[_Outcome] = []

            async def worker() -> None:
                while inboxes:
                    for delivery in inboxes.pop(0):
                        outcomes.append(await one(http, delivery))

            await asyncio.gather(*(worker() for _ in range(min(per_host, len(inboxes)))))
            return outcomes

    lanes = await asyncio.gather(*(lane(queue) for queue in by_server.values()))
    return [outcome for outcomes in lanes for outcome in outcomes]


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
        lease = dt.timedelta(seconds=settings.BACKCHANNEL_FEDERATION_LEASE_SECONDS)
        Delivery.objects.filter(pk__in=ids).update(leased_until=now + lease)
    return list(Delivery.objects.select_related("activity").filter(pk__in=ids).order_by("pk"))


def _record(outcomes: list[_Outcome]) -> None:
    """Write how each went: the delivered in one statement, the rest grouped by how they
    failed (few, usually)."""
    now = timezone.now()
    delivered: list[int] = []
    failed: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for outcome in outcomes:
        delivery, status = outcome.delivery, outcome.status
        if status is not None and 200 <= status < 300:
            delivered.append(delivery.pk)
            continue
        error = (outcome.error or f"answered {status}")[:300]
        permanent = status is not None and 400 <= status < 500 and status not in (408, 429)
        attempts = delivery.attempts + 1
        if permanent or now - delivery.created_at > GIVE_UP_AFTER:
            failed[(Delivery.State.DEAD, error, attempts)].append(delivery.pk)
        else:
            failed[(Delivery.State.PENDING, error, attempts)].append(delivery.pk)
    with transaction.atomic():
        for chunk in range(0, len(delivered), 500):
            Delivery.objects.filter(pk__in=delivered[chunk : chunk + 500]).update(
                state=Delivery.State.DELIVERED,
                delivered_at=now,
                attempts=F("attempts") + 1,
                leased_until=None,
                last_error="",
            )
        for (state, error, attempts), ids in failed.items():
            Delivery.objects.filter(pk__in=ids).update(
                state=state,
                attempts=attempts,
                leased_until=None,
                last_error=error,
                next_attempt_at=now + backoff(attempts),
            )


def _keys(deliveries: list[Delivery]) -> dict[int, tuple[str, rsa.RSAPrivateKey]]:
    keys = {}
    for key in ActorKey.objects.filter(pk__in={d.activity.sender_id for d in deliveries}):
        owner = owner_of(key)
        keys[key.pk] = (f"{actor_id(owner)}#main-key", signatures.load_private_key(key.private_pem))
    return keys


def _run_async(work: Coroutine[Any, Any, T]) -> T:
    """Run `work` to its end from synchronous code. The worker's thread has no event loop;
    a caller that has one running (a test driving a browser) gets a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def deliver_due(limit: int = BATCH) -> int:
    """Send what is due (at most `limit`); how many were tried."""
    deliveries = _claim(limit)
    if not deliveries:
        return 0
    outcomes = _run_async(_post_all(deliveries, _keys(deliveries)))
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
