"""Redis pub/sub as the broker between server processes.

Publishing happens after commit in the writer's thread (a loopback PUBLISH takes well under a
millisecond). Each process keeps one subscriber connection with one channel per active topic;
when that connection drops, it reconnects with backoff, resubscribes, and asks the outbox relay
to catch up, so events published during the outage are read from the database instead.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import redis
import redis.asyncio as aioredis
from django.core.serializers.json import DjangoJSONEncoder

from .hub import Hub
from .messages import StreamMessage

log = logging.getLogger(__name__)
PREFIX = "backchannel:"
CONTROL = PREFIX + "_control"  # always subscribed, so the connection exists with no topics


def channel(topic: str) -> str:
    return PREFIX + topic


class RedisBroker:
    def __init__(self, url: str, target: Hub) -> None:
        self.url = url
        self.hub = target
        self._publisher = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._pubsub: Any = None
        self._subscribed: set[str] = set()
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.wake_relay: Any = None  # set by the server: the relay's nudge

    def publish(self, message: StreamMessage) -> None:
        data = json.dumps(
            {"id": message.id, "type": message.type, "payload": message.payload},
            cls=DjangoJSONEncoder,
            separators=(",", ":"),
        )
        try:
            self._publisher.publish(channel(message.topic), data)
        except redis.RedisError:
            # The event is committed; the other processes' relays will read it from the outbox.
            log.warning("Redis publish failed for event %s; the relay delivers it", message.id)
        # This process's own readers need no round trip through Redis.
        self.hub.publish(message)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="redis-broker")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def watch(self, topic: str) -> None:
        if topic in self._subscribed:
            return
        try:
            await asyncio.wait_for(self._connected.wait(), 1)
            await self._pubsub.subscribe(channel(topic))
            self._subscribed.add(topic)
        except (TimeoutError, redis.RedisError, OSError, AttributeError):
            # Redis is away: the stream still works, through the relay, a little later.
            log.info("Redis unavailable; %s is served by the outbox relay for now", topic)

    async def _listen(self) -> None:
        delay = 0.2
        while True:
            client = aioredis.from_url(self.url, socket_connect_timeout=2)
            pubsub = client.pubsub()
            try:
                topics = list(self.hub.topics)
                await pubsub.subscribe(CONTROL, *(channel(t) for t in topics))
                self._pubsub, self._subscribed = pubsub, set(topics)
                self._connected.set()
                delay = 0.2
                if self.wake_relay:
                    self.wake_relay()  # catch up on whatever was published while away
                async for item in pubsub.listen():
                    self._receive(item)
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as exc:
                log.warning("Redis subscriber connection lost (%s); reconnecting", exc)
            finally:
                self._connected.clear()
                self._pubsub, self._subscribed = None, set()
                await asyncio.shield(_close(pubsub, client))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _receive(self, item: dict[str, Any]) -> None:
        if item.get("type") != "message":
            return
        name = item["channel"].decode() if isinstance(item["channel"], bytes) else item["channel"]
        if not name.startswith(PREFIX) or name == CONTROL:
            return
        try:
            data = json.loads(item["data"])
            message = StreamMessage(
                id=int(data["id"]),
                topic=name[len(PREFIX) :],
                type=data["type"],
                payload=data["payload"],
            )
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed message on %s", name)
            return
        self.hub.dispatch(message)


async def _close(pubsub: Any, client: Any) -> None:
    try:
        await pubsub.aclose()
        await client.aclose()
    except Exception:  # closing a broken connection may fail too
        log.debug("closing the Redis subscriber failed", exc_info=True)
