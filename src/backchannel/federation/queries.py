"""Reads for federation's pages: the servers this one knows, staff's decisions, and how
deliveries stand."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from .models import Delivery, Instance, RemoteActor, ServerDecision

LISTED = 200


@dataclass(frozen=True)
class Server:
    domain: str
    accounts: int
    policy: str  # "" when staff decided nothing
    reason: str


@dataclass(frozen=True)
class Overview:
    servers: list[Server]
    decisions: list[ServerDecision]  # the audit log, newest first
    pending: int
    dead: list[Delivery]  # given up, newest first


def servers_overview() -> Overview:
    """Four queries, whatever the numbers."""
    decided = {row.domain: row for row in Instance.objects.all()}
    known = dict(
        RemoteActor.objects.values_list("domain").annotate(n=Count("pk")).order_by("-n")[:LISTED]
    )
    domains = sorted(set(known) | set(decided), key=lambda d: (-known.get(d, 0), d))
    servers = [
        Server(
            domain=domain,
            accounts=known.get(domain, 0),
            policy=decided[domain].policy if domain in decided else "",
            reason=decided[domain].reason if domain in decided else "",
        )
        for domain in domains
    ]
    decisions = list(ServerDecision.objects.select_related("decided_by")[:50])
    pending = Delivery.objects.filter(state=Delivery.State.PENDING).count()
    dead = list(
        Delivery.objects.filter(state=Delivery.State.DEAD)
        .select_related("activity")
        .order_by("-pk")[:50]
    )
    return Overview(servers, decisions, pending, dead)
