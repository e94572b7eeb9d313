"""The no-database reference: a bare ASGI SSE broadcast server.

`GET /stream` subscribes; `POST /publish` (JSON body) broadcasts the body, encoded once, to every
subscriber. Run under the same uvicorn as Backchannel, so the gap between the two is what the
database, authentication and Django cost. Benchmark use only.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import uvicorn

subscribers: set[asyncio.Queue[bytes]] = set()
ids = itertools.count(1)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/health":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    if scope["path"] == "/publish":
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        data = json.dumps(json.loads(body), separators=(",", ":"))
        encoded = f"id: {next(ids)}\nevent: post.created\ndata: {data}\n\n".encode()
        for queue in subscribers:
            queue.put_nowait(encoded)
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    subscribers.add(queue)
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        await send({"type": "http.response.body", "body": b"retry: 2000\n\n", "more_body": True})
        while True:
            await send({"type": "http.response.body", "body": await queue.get(), "more_body": True})
    except OSError:
        pass
    finally:
        subscribers.discard(queue)


if __name__ == "__main__":
    port = int(sys.argv[1])
    if len(sys.argv) > 2 and sys.argv[2] == "granian":
        from granian.constants import HTTPModes, Interfaces
        from granian.http import HTTP1Settings
        from granian.server import Server

        sys.path.insert(0, str(Path(__file__).parent))
        Server(
            "reference_server:app",
            address="127.0.0.1",
            port=port,
            interface=Interfaces.ASGINL,
            log_level="warning",  # type: ignore[arg-type]
            backlog=16384,
            backpressure=16384,
            http=HTTPModes.http1,
            http1_settings=HTTP1Settings(max_buffer_size=16384),
        ).serve()
    else:
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
