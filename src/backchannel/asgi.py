"""The ASGI entry point: SSE streams go to the bare stream app, everything else to Django."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from typing import Any, cast

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backchannel.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from backchannel.wsgi import ThreadedWSGI

# Pages and the API are ordinary synchronous Django views. They run on a fixed pool of threads
# that keep their database connections: Django's ASGI handler starts a new thread, and so a
# new database connection, for every request, which cost three quarters of the time of a post
# (py-spy, bench/ingest.py). Streams never hold one of these threads (see api/streams.py).
django_app: Any = ThreadedWSGI(
    cast(Any, get_wsgi_application()), workers=settings.BACKCHANNEL_THREADS
)

from backchannel.api.streams import match_stream, stream_app  # noqa: E402
from backchannel.archive.census import census  # noqa: E402
from backchannel.care.model import shipped  # noqa: E402
from backchannel.realtime.broker import get_broker  # noqa: E402
from backchannel.realtime.control import watch_control  # noqa: E402
from backchannel.realtime.hub import hub  # noqa: E402
from backchannel.realtime.relay import OutboxRelay  # noqa: E402

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Load now what the first request would otherwise wait for while the server starts: the
    URL map (every API module and its schemas) and the caution check's model, about a second
    together. Under a live session the first post after a restart paid it, and the posts and
    deliveries queued behind it (bench/fanout.py, docs/performance.md step 7). Before
    gc.freeze(), so the collector does not scan them again either."""
    get_resolver().url_patterns  # noqa: B018 - reading it imports the URL map
    shipped()


async def _lifespan(receive: Any, send: Any) -> None:
    relay: OutboxRelay | None = None
    heartbeats: asyncio.Task[None] | None = None
    control: asyncio.Task[None] | None = None
    counting: asyncio.Task[None] | None = None
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            warm_up()
            # Django's own objects live as long as the process: move them out of the garbage
            # collector's sight, so its full passes scan only what requests and streams make.
            gc.collect()
            gc.freeze()
            hub.attach(asyncio.get_running_loop())
            broker = get_broker()
            relay = OutboxRelay(hub, settings.BACKCHANNEL_RELAY_SECONDS)
            relay.start()
            heartbeats = asyncio.create_task(
                hub.heartbeats(lambda: settings.BACKCHANNEL_HEARTBEAT_SECONDS)
            )
            counting = asyncio.create_task(census(hub, lambda: settings.BACKCHANNEL_CENSUS_SECONDS))
            if hasattr(broker, "wake_relay"):
                broker.wake_relay = relay.nudge
            await broker.start()
            control = await watch_control(hub)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if relay is not None:
                await relay.stop()
            if heartbeats is not None:
                heartbeats.cancel()
            if control is not None:
                control.cancel()
            if counting is not None:
                counting.cancel()
            await get_broker().stop()
            for subscribers in list(hub.topics.values()):
                for subscriber in list(subscribers):
                    subscriber.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    if scope["type"] == "http":
        route = match_stream(scope["path"])
        if route is not None:
            await stream_app(scope, receive, send, *route)
            return
    await django_app(scope, receive, send)
