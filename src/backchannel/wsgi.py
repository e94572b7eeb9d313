"""Django's pages and API, served from the ASGI server on a fixed pool of threads.

a2wsgi's bridge, which this replaced, hands each message between the event loop and the thread
on its own: the request's body, the response's start, each chunk of it and its end, four
round trips or more a request, each waking the loop and then the thread (a tenth of the
server's CPU under bench/ingest.py, py-spy, issue #17). Here an ordinary request crosses once
each way: the loop reads the body when it arrived whole (every API call and form does), the
thread runs Django and gathers the response up to `BUFFER_BYTES`, the loop sends it. A body
still arriving is read on demand from the thread (a2wsgi's `Body`), and a larger response
goes on chunk by chunk, so neither is held in memory whole.

Threads keep their database connections between requests, which is why pages and the API
run here rather than under Django's ASGI handler (a new thread, and a new connection, for
every request: asgi.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import io
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from a2wsgi.wsgi import Body, build_environ

# A response up to this size is sent in one piece once Django has made it; past it, the rest
# follows chunk by chunk (exports, large static files).
BUFFER_BYTES = 256 * 1024

Headers = list[tuple[str, str]]
Started = tuple[int, Headers]


class _Response:
    """What the thread hands back: the status and headers, the body gathered so far, and
    the rest of the body still to read (None: it was read to the end and closed)."""

    def __init__(self) -> None:
        self.started: Started | None = None
        self.chunks: list[bytes] = []
        self.rest: tuple[Iterable[bytes], Iterator[bytes]] | None = None

    def start_response(self, status: str, headers: Headers, exc_info: Any = None) -> Any:
        # Nothing is sent before the application returns, so a later call (with the error
        # that replaced the answer, PEP 3333) simply takes the place of the first.
        self.started = (int(status.split(" ", 1)[0]), headers)
        return self.chunks.append  # the legacy write() callable


class ThreadedWSGI:
    """An ASGI application (HTTP only) that runs a WSGI application on `workers` threads."""

    def __init__(self, app: Callable[..., Iterable[bytes]], workers: int) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(thread_name_prefix="WSGI", max_workers=workers)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        loop = asyncio.get_running_loop()
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        first = message.get("body", b"")
        if message.get("more_body", False):
            body: Any = Body(loop, receive)  # the rest is read from the thread as needed
            body.buffer.extend(first)
        else:
            body = io.BytesIO(first)
        environ = build_environ(scope, body)  # type: ignore[arg-type]
        context = contextvars.copy_context()
        response: _Response = await self._in_thread(context, self._run, environ)
        if response.started is None:
            raise RuntimeError("the WSGI application never called start_response")
        status, headers = response.started
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (name.strip().encode("latin1").lower(), value.strip().encode("latin1"))
                    for name, value in headers
                ],
            }
        )
        if response.rest is None:
            await send({"type": "http.response.body", "body": b"".join(response.chunks)})
            return
        await send(
            {"type": "http.response.body", "body": b"".join(response.chunks), "more_body": True}
        )
        iterable, iterator = response.rest
        try:
            while (chunk := await self._in_thread(context, next, iterator, None)) is not None:
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await self._in_thread(context, _close, iterable)

    def _run(self, environ: dict[str, Any]) -> _Response:
        """In a thread: the application's answer, read up to BUFFER_BYTES."""
        response = _Response()
        iterable = self.app(environ, response.start_response)
        try:
            iterator = iter(iterable)
            size = sum(map(len, response.chunks))
            for chunk in iterator:
                response.chunks.append(chunk)
                size += len(chunk)
                if size >= BUFFER_BYTES:
                    response.rest = (iterable, iterator)
                    return response
        except BaseException:
            _close(iterable)
            raise
        _close(iterable)  # Django's request_finished: the request's connections tidied
        return response

    async def _in_thread(self, context: contextvars.Context, function: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, context.run, function, *args)


def _close(iterable: Iterable[bytes]) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()
