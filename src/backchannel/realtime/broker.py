"""The broker interface: how a committed stream event reaches every process's hub.

Backends:
- in-process (default): straight to this process's hub. Several processes on one SQLite
  database still see each other's events through the outbox relay (polled every
  BACKCHANNEL_RELAY_SECONDS).
- Redis pub/sub (`REDIS_URL`): one channel per topic; each process subscribes once per topic
  it has readers for.
- PostgreSQL LISTEN/NOTIFY (the default on PostgreSQL without Redis): a notification wakes
  each process's outbox relay.

Whatever the broker, the outbox relay catches up from the database after an outage, so a broker
can delay an event but never lose it.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.conf import settings
from django.db import connections

from .hub import Hub, hub
from .messages import StreamMessage


class Broker(Protocol):
    def publish(self, message: StreamMessage) -> None:
        """Called after commit, from any thread; must not block on the network for long."""

    async def start(self) -> None:
        """Called once on the server's event loop at start-up."""

    async def stop(self) -> None: ...

    async def watch(self, topic: str) -> None:
        """Return once messages of `topic` published from now on will reach this process."""


class InProcessBroker:
    """Delivers straight to this process's hub."""

    def __init__(self, target: Hub) -> None:
        self.hub = target

    def publish(self, message: StreamMessage) -> None:
        self.hub.publish(message)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def watch(self, topic: str) -> None:
        return None


def broker_kind() -> str:
    """BACKCHANNEL_BROKER, or: Redis when REDIS_URL is set, else PostgreSQL LISTEN/NOTIFY when
    the database is PostgreSQL, else in-process."""
    if settings.BACKCHANNEL_BROKER:
        return str(settings.BACKCHANNEL_BROKER)
    if settings.REDIS_URL:
        return "redis"
    if connections["default"].vendor == "postgresql":
        return "postgres"
    return "inprocess"


@cache
def get_broker() -> Broker:
    kind = broker_kind()
    # The chosen backend only: the Redis and PostgreSQL clients load when they are used.
    if kind == "redis":
        from .redis_broker import RedisBroker

        return RedisBroker(settings.REDIS_URL, hub)
    if kind == "postgres":
        from .postgres_broker import PostgresBroker

        return PostgresBroker(hub, connections["default"].settings_dict)
    if kind != "inprocess":
        raise ValueError(f"BACKCHANNEL_BROKER must be inprocess, redis or postgres, not {kind!r}")
    return InProcessBroker(hub)
