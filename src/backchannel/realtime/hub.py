"""The per-process fan-out: topic -> local subscribers, on the server's event loop.

The broker (in-process, Redis, PostgreSQL) delivers each message to the hub once per process;
the hub hands the same message object, already encoded, to every local subscriber of the topic.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from .messages import StreamMessage

log = logging.getLogger(__name__)


Send = Callable[[dict[str, Any]], Coroutine[Any, Any, None]]


class Subscriber:
    """One open stream. Holds at most `limit` undelivered messages; past that it is dropped
    (it reconnects and replays from its last id), so one slow reader never slows the others.

    Kept small and cheap on purpose: there is one per viewer, and the fan-out touches each one
    per event. While its stream is idle and caught up (`direct`), the fan-out writes to it
    directly (`write_now`) instead of queueing and waking the stream's task: that wake-up and
    the task's turn were most of the server's time per delivery at 5,000 viewers (py-spy).
    Anything that cannot be written at once goes through the queue and the task."""

    __slots__ = (
        "blocked",
        "credential",
        "direct",
        "event_id",
        "heartbeat_due",
        "last_write",
        "limit",
        "overflowed",
        "public_only",
        "queue",
        "send",
        "start",
        "topic",
        "user_id",
        "waiter",
        "wrote",
    )

    def __init__(self, topic: str, limit: int, start: int = 0, send: Send | None = None) -> None:
        self.topic = topic
        self.limit = limit
        self.start = start  # the client has every event up to this id
        self.send = send  # the stream's ASGI send, for direct writes
        self.queue: list[StreamMessage] = []
        self.waiter: asyncio.Future[None] | None = None
        # Set by the stream's task only while it waits with an empty queue, so a direct write
        # never interleaves with one of the task's own writes.
        self.direct = False
        # A direct write the server could not finish at once (back-pressure), for the task.
        self.blocked: tuple[Coroutine[Any, Any, None], Any] | None = None
        self.overflowed = False
        self.heartbeat_due = False
        # Every write sets `wrote`; the hub's tick turns it into `last_write`, so the hot path
        # stores a flag instead of reading the clock.
        self.wrote = False
        self.last_write = time.monotonic()
        # Who reads and by what right, where known, so a stream closes the moment the right
        # goes: a suspension (the person, at the event), a revoked token or a sign-out (the
        # credential it was opened with), an event turned join-code (streams that only its
        # being public allowed).
        self.user_id: int | None = None
        self.event_id: int | None = None
        self.credential: str | None = None  # "token:<id>" or "session:<hash of the key>"
        self.public_only = False

    def write_now(self, chunk: bytes) -> None:
        """Write from the fan-out, without a task switch. The server's send normally finishes
        without waiting; when it must wait (the client reads slowly), the stream's task takes
        over the rest of that send and everything after it goes through the queue."""
        assert self.send is not None
        self.direct = False
        self.wrote = True
        send = self.send({"type": "http.response.body", "body": chunk, "more_body": True})
        try:
            waiting_on = send.send(None)
        except StopIteration:
            self.direct = True
            return
        except Exception:  # the connection failed under the write: end the stream
            log.debug("direct write failed", exc_info=True)
            self.close()
            return
        self.blocked = (send, waiting_on)
        self.wake()

    def push(self, message: StreamMessage) -> None:
        if len(self.queue) >= self.limit:
            self.overflowed = True
        else:
            self.queue.append(message)
        self.wake()

    def wake(self) -> None:
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def take(self) -> list[StreamMessage]:
        """Everything queued, oldest first; the queue starts again empty."""
        queue, self.queue = self.queue, []
        return queue

    def wait(self) -> asyncio.Future[None]:
        """A future that completes when a message is queued, a heartbeat is due or the stream
        must end (a future, not a coroutine: awaiting it directly saves a frame per event)."""
        waiter = asyncio.get_running_loop().create_future()
        if self.queue or self.overflowed or self.heartbeat_due or self.blocked is not None:
            waiter.set_result(None)
        else:
            self.waiter = waiter
        return waiter

    def close(self) -> None:
        self.direct = False
        self.overflowed = True
        self.wake()


class _Ahead:
    """Ids a broker delivered ahead of the relay's position in one topic: the relay will read
    them again from the outbox and must not deliver them twice. Forgotten once the position
    passes them, so this stays as small as what arrives between two relay reads."""

    __slots__ = ("ids", "order")

    def __init__(self) -> None:
        self.order: collections.deque[int] = collections.deque()
        self.ids: set[int] = set()

    def add(self, event_id: int) -> bool:
        """Record an id; False when it was already there."""
        if event_id in self.ids:
            return False
        self.order.append(event_id)
        self.ids.add(event_id)
        return True

    def forget_through(self, position: int) -> None:
        order, ids = self.order, self.ids
        while order and order[0] <= position:
            ids.discard(order.popleft())


class Hub:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.topics: dict[str, set[Subscriber]] = {}
        # Per active topic: the outbox position the relay has dispatched through (every event
        # of the topic up to it has reached the subscribers, so an id at or below it is a
        # repeat), and the ids brokers delivered beyond it.
        self.positions: dict[str, int] = {}
        self._ahead: dict[str, _Ahead] = {}
        # Per topic: the most local subscribers since the last census (realtime/census.py).
        self.peaks: dict[str, int] = {}
        # Called with a topic when its first local subscriber arrives / last one leaves, so a
        # networked broker can subscribe once per active topic.
        self.on_topic_added: Callable[[str], None] | None = None
        self.on_topic_removed: Callable[[str], None] | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def subscribe(
        self, topic: str, limit: int, position: int, start: int = 0, send: Send | None = None
    ) -> Subscriber:
        """A new local subscriber. `position` is the topic's newest committed event id, read
        before this call: when the topic is new to this process, the relay starts there.
        `start`: the subscriber has every event up to it; `send`: for direct writes."""
        return self.add(Subscriber(topic, limit, start, send), position)

    def add(self, subscriber: Subscriber, position: int) -> Subscriber:
        if self.loop is None:
            self.attach(asyncio.get_running_loop())
        topic = subscriber.topic
        subscribers = self.topics.setdefault(topic, set())
        subscribers.add(subscriber)
        if len(subscribers) > self.peaks.get(topic, 0):
            self.peaks[topic] = len(subscribers)
        if len(subscribers) == 1:
            self.positions[topic] = position
            self._ahead[topic] = _Ahead()
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
            self._ahead.pop(subscriber.topic, None)
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
        """A broker's delivery: at once, unless the relay or a broker has delivered it."""
        subscribers = self.topics.get(message.topic)
        if not subscribers or message.id <= self.positions[message.topic]:
            return
        if self._ahead[message.topic].add(message.id):
            _fan_out(subscribers, message)

    def dispatch_from_outbox(self, message: StreamMessage) -> None:
        """The relay's delivery, in commit order within the topic: moves the position on."""
        topic = message.topic
        subscribers = self.topics.get(topic)
        if not subscribers or message.id <= self.positions[topic]:
            return
        ahead = self._ahead[topic]
        if message.id not in ahead.ids:
            _fan_out(subscribers, message)
        self.positions[topic] = message.id
        ahead.forget_through(message.id)

    async def heartbeats(self, interval: Callable[[], float]) -> None:
        """Once a second, wake the streams that have written nothing for `interval()` seconds so
        they send a heartbeat. One timer for the process instead of one per stream: a per-stream
        `wait_for` cost a fifth of the server's CPU at 1,000 viewers (py-spy)."""
        while True:
            await asyncio.sleep(1)
            now, quiet = time.monotonic(), interval()
            for subscribers in self.topics.values():
                for subscriber in subscribers:
                    if subscriber.wrote:
                        subscriber.wrote = False
                        subscriber.last_write = now
                    elif now - subscriber.last_write >= quiet:
                        subscriber.heartbeat_due = True
                        subscriber.wake()

    def close_streams(
        self,
        *,
        user_id: int | None = None,
        event_id: int | None = None,
        credential: str | None = None,
        public_only: bool = False,
    ) -> int:
        """End the open streams that match every criterion given: a person's (at one event, or
        everywhere), those opened with a credential, those of an event that only its being
        public allowed. Returns how many. Browsers reconnect, and are refused if the right is
        gone."""
        if user_id is None and credential is None and not (public_only and event_id):
            return 0  # never everything by accident
        closed = 0
        for subscribers in self.topics.values():
            for subscriber in list(subscribers):
                if (
                    (user_id is None or subscriber.user_id == user_id)
                    and (event_id is None or subscriber.event_id == event_id)
                    and (credential is None or subscriber.credential == credential)
                    and (not public_only or subscriber.public_only)
                ):
                    subscriber.close()
                    closed += 1
        return closed

    def take_peaks(self) -> dict[str, int]:
        """The most subscribers each topic had since the last call; the count starts again
        from each topic's current number of subscribers."""
        peaks, self.peaks = self.peaks, {topic: len(s) for topic, s in self.topics.items()}
        return {topic: peak for topic, peak in peaks.items() if peak > 0}

    def subscriber_count(self) -> int:
        return sum(len(s) for s in self.topics.values())


def _fan_out(subscribers: set[Subscriber], message: StreamMessage) -> None:
    # Nothing here awaits or unsubscribes, so the set cannot change during the loop.
    event_id = message.id
    for subscriber in subscribers:
        if event_id <= subscriber.start:
            continue
        if subscriber.direct:
            subscriber.write_now(message.encoded)
        else:
            subscriber.push(message)


hub = Hub()
