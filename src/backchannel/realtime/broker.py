"""The broker interface: how a committed stream event reaches every process's hub.

Backends: in-process (the default: one server process). Networked backends (Redis pub/sub,
PostgreSQL LISTEN/NOTIFY) implement the same two methods and feed the same hub.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from .hub import Hub, hub
from .messages import StreamMessage


class Broker(Protocol):
    def publish(self, message: StreamMessage) -> None:
        """Called after commit, from any thread; must not block on the network for long."""

    async def start(self) -> None:
        """Called once on the server's event loop at start-up."""

    async def stop(self) -> None: ...


class InProcessBroker:
    """Delivers straight to this process's hub. Correct only with one server process."""

    def __init__(self, target: Hub) -> None:
        self.hub = target

    def publish(self, message: StreamMessage) -> None:
        self.hub.publish(message)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


@cache
def get_broker() -> Broker:
    return InProcessBroker(hub)
