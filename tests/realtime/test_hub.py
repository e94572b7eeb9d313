"""The hub's rules: every event reaches each local subscriber once, whichever way it comes
(broker, relay, both, in either order), and what it remembers to ensure that stays small."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from backchannel.realtime.hub import Hub, Subscriber
from backchannel.realtime.messages import StreamMessage

# Run once (the in-process hub: no database).
pytestmark = pytest.mark.engine_independent

TOPIC = "session:1"


def message(event_id: int, topic: str = TOPIC) -> StreamMessage:
    return StreamMessage(id=event_id, topic=topic, type="post.created", payload={"n": event_id})


def ids(subscriber: Subscriber) -> list[int]:
    return [m.id for m in subscriber.take()]


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    # The hub only needs to know its loop here: dispatch is called on it directly.
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def hub_on(loop: asyncio.AbstractEventLoop) -> Hub:
    hub = Hub()
    hub.attach(loop)
    return hub


def test_broker_then_relay_delivers_once_however_far_apart(loop: asyncio.AbstractEventLoop) -> None:
    hub = hub_on(loop)
    subscriber = hub.subscribe(TOPIC, limit=10_000, position=0)
    for i in range(1, 3001):  # far more than any fixed window of recent ids
        hub.dispatch(message(i))
    for i in range(1, 3001):
        hub.dispatch_from_outbox(message(i))
    assert ids(subscriber) == list(range(1, 3001))
    assert len(hub._ahead[TOPIC].ids) == 0  # the relay's position passed them all


def test_relay_then_broker_delivers_once(loop: asyncio.AbstractEventLoop) -> None:
    hub = hub_on(loop)
    subscriber = hub.subscribe(TOPIC, limit=100, position=0)
    hub.dispatch_from_outbox(message(1))
    hub.dispatch_from_outbox(message(2))
    hub.dispatch(message(2))
    hub.dispatch(message(1))
    hub.dispatch(message(3))
    hub.dispatch(message(3))
    assert ids(subscriber) == [1, 2, 3]


def test_events_before_the_topic_became_active_are_left_to_the_replay(
    loop: asyncio.AbstractEventLoop,
) -> None:
    hub = hub_on(loop)
    subscriber = hub.subscribe(TOPIC, limit=100, position=10)
    hub.dispatch(message(9))
    hub.dispatch_from_outbox(message(10))
    hub.dispatch(message(11))
    assert ids(subscriber) == [11]


def test_out_of_order_broker_deliveries_are_kept_until_the_relay_passes_them(
    loop: asyncio.AbstractEventLoop,
) -> None:
    hub = hub_on(loop)
    subscriber = hub.subscribe(TOPIC, limit=100, position=0)
    hub.dispatch(message(5))
    hub.dispatch(message(4))  # a commit hook that ran late
    hub.dispatch_from_outbox(message(4))
    hub.dispatch_from_outbox(message(5))
    hub.dispatch(message(4))
    assert ids(subscriber) == [5, 4]
    assert not hub._ahead[TOPIC].ids


def test_other_topics_and_inactive_topics_are_ignored(loop: asyncio.AbstractEventLoop) -> None:
    hub = hub_on(loop)
    subscriber = hub.subscribe(TOPIC, limit=100, position=0)
    hub.dispatch(message(1, topic="session:2"))
    hub.dispatch_from_outbox(message(2, topic="session:2"))
    assert ids(subscriber) == []
    hub.unsubscribe(subscriber)
    assert TOPIC not in hub.positions and TOPIC not in hub._ahead


def test_a_subscriber_past_its_limit_is_dropped_not_blocked(
    loop: asyncio.AbstractEventLoop,
) -> None:
    hub = hub_on(loop)
    slow = hub.subscribe(TOPIC, limit=2, position=0)
    fast = hub.subscribe(TOPIC, limit=100, position=0)
    for i in range(1, 6):
        hub.dispatch(message(i))
    assert slow.overflowed and ids(slow) == [1, 2]
    assert not fast.overflowed and ids(fast) == [1, 2, 3, 4, 5]


def test_a_waiting_stream_wakes_on_push_and_on_close() -> None:
    async def scenario() -> None:
        hub = Hub()
        subscriber = hub.subscribe(TOPIC, limit=10, position=0)
        waiting = subscriber.wait()
        await asyncio.sleep(0)
        assert not waiting.done()
        hub.dispatch(message(1))
        await asyncio.wait_for(waiting, 1)
        assert ids(subscriber) == [1]
        waiting = subscriber.wait()
        await asyncio.sleep(0)
        subscriber.close()
        await asyncio.wait_for(waiting, 1)
        assert subscriber.overflowed

    # In a thread of its own: browser tests in the same run may hold this thread's loop.
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    if failures:
        raise failures[0]
