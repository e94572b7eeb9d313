"""The per-process fan-out: topic -> local subscribers, on the server's event loop.

The broker (in-process, Redis, PostgreSQL) delivers each message to the hub once per process;
the hub hands the same message object, already encoded, to every local subscriber of the topic.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Callable

from .messages import StreamMessage

log = logging.getLogger(__name__)


class Subscriber:
    """One open stream. Holds at most `limit` undelivered messages; past that it is dropped
    (it reconnects and replays from its last id), so one slow reader never slows the others."""

    __slots__ = ("heartbeat_due", "last_write", "limit", "overflowed", "queue", "topic", "wakeup")

    def __init__(self, topic: str, limit: int) -> None:
        self.topic = topic
        self.limit = limit
        self.queue: collections.deque[StreamMessage] = collections.deque()
        self.wakeup = asyncio.Event()
        self.overflowed = False
        self.heartbeat_due = False
        self.last_write = time.monotonic()

    def push(self, message: StreamMessage) -> None:
        if len(self.queue) >= self.limit:
            self.overflowed = True
        else:
            self.queue.append(message)
        self.wakeup.set()

    def close(self) -> None:
        self.overflowed = True
        self.wakeup.set()


RECENT_PER_TOPIC = 512


class Hub:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.topics: dict[str, set[Subscriber]] = {}
        # Per active topic: the outbox position this process has read up to (the relay's
        # cursor), and the ids dispatched lately, so a message that comes both from the broker
        # and from the relay reaches subscribers once.
        self.positions: dict[str, int] = {}
        self._recent: dict[str, collections.deque[int]] = {}
        self._recent_sets: dict[str, set[int]] = {}
        # Called with a topic when its first local subscriber arrives / last one leaves, so a
        # networked broker can subscribe once per active topic.
        self.on_topic_added: Callable[[str], None] | None = None
        self.on_topic_removed: Callable[[str], None] | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def subscribe(self, topic: str, limit: int, position: int) -> Subscriber:
        """A new local subscriber; `position` is where it starts reading the outbox."""
        if self.loop is None:
            self.attach(asyncio.get_running_loop())
        subscriber = Subscriber(topic, limit)
        subscribers = self.topics.setdefault(topic, set())
        subscribers.add(subscriber)
        if len(subscribers) == 1:
            self.positions[topic] = position
            self._recent[topic] = collections.deque(maxlen=RECENT_PER_TOPIC)
            self._recent_sets[topic] = set()
            if self.on_topic_added:
                self.on_topic_added(topic)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        subscribers = self.topics.get(subscriber.topic)
        if not subscribers:
            return
        subscribers.discard(subscriber)
        if not subscribers:
            del self.topics[subscriber.topic]
            self.positions.pop(subscriber.topic, None)
            self._recent.pop(subscriber.topic, None)
            self._recent_sets.pop(subscriber.topic, None)
            if self.on_topic_removed:
                self.on_topic_removed(subscriber.topic)

    def publish(self, message: StreamMessage) -> None:
        """Deliver to local subscribers. Safe to call from any thread."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return  # nobody here is listening; late readers replay from the database
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.dispatch(message)
        else:
            try:
                loop.call_soon_threadsafe(self.dispatch, message)
            except RuntimeError:  # loop closed between the check and the call
                log.debug("hub loop closed; dropping live delivery of %s", message.id)

    def dispatch(self, message: StreamMessage) -> None:
        subscribers = self.topics.get(message.topic)
        if not subscribers:
            return
        recent, seen = self._recent[message.topic], self._recent_sets[message.topic]
        if message.id in seen:
            return
        if len(recent) == recent.maxlen:
            seen.discard(recent[0])
        recent.append(message.id)
        seen.add(message.id)
        for subscriber in tuple(subscribers):
            subscriber.push(message)

    async def heartbeats(self, interval: Callable[[], float]) -> None:
        """Once a second, wake the streams that have written nothing for `interval()` seconds so
        they send a heartbeat. One timer for the process instead of one per stream: a per-stream
        `wait_for` cost a fifth of the server's CPU at 1,000 viewers (py-spy)."""
        while True:
            await asyncio.sleep(1)
            now, quiet = time.monotonic(), interval()
            for subscribers in self.topics.values():
                for subscriber in subscribers:
                    if now - subscriber.last_write >= quiet:
                        subscriber.heartbeat_due = True
                        subscriber.wakeup.set()

    def subscriber_count(self) -> int:
        return sum(len(s) for s in self.topics.values())


hub = Hub()
