"""A small SSE client for tests: reads a stream in a thread and hands over parsed events."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class SSEEvent:
    id: str | None
    type: str
    data: str
    comment: bool = False

    @property
    def json(self) -> Any:
        return json.loads(self.data)


class SSEStream:
    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self._client = httpx.Client(timeout=httpx.Timeout(10.0, read=60.0))
        self._context = self._client.stream("GET", url, headers=headers or {})
        self.response = self._context.__enter__()
        self.events: queue.Queue[SSEEvent | None] = queue.Queue()
        self.last_id: str | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        data: list[str] = []
        try:
            for line in self.response.iter_lines():
                if line == "":
                    if "id" in fields:
                        self.last_id = fields["id"]
                    if data:
                        self.events.put(
                            SSEEvent(
                                fields.get("id"), fields.get("event", "message"), "\n".join(data)
                            )
                        )
                    fields, data = {}, []
                elif line.startswith(":"):
                    self.events.put(SSEEvent(None, "comment", line[1:].strip(), comment=True))
                else:
                    name, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if name == "data":
                        data.append(value)
                    else:
                        fields[name] = value
        except Exception:
            pass
        finally:
            self.events.put(None)

    def next(self, timeout: float = 5.0, *, skip_comments: bool = True) -> SSEEvent:
        """The next event; heartbeats (comments) and the stream's opening `ready` event are
        skipped unless asked for."""
        while True:
            event = self.events.get(timeout=timeout)
            if event is None:
                raise EOFError("the stream ended")
            if skip_comments and (event.comment or event.type == "ready"):
                continue
            return event

    def until(self, marker: str, timeout: float = 10.0) -> list[SSEEvent]:
        """Every event up to and including the first whose data contains `marker` (something
        the test wrote after what it wants replayed): a replay's end, without waiting on time."""
        seen = []
        while True:
            event = self.next(timeout)
            seen.append(event)
            if marker in event.data:
                return seen

    def collect(self, count: int, timeout: float = 5.0) -> list[SSEEvent]:
        return [self.next(timeout) for _ in range(count)]

    def assert_quiet(self, seconds: float = 0.5) -> None:
        try:
            event = self.next(seconds)
        except queue.Empty:
            return
        raise AssertionError(f"unexpected event {event}")

    def close(self) -> None:
        # The reader thread is blocked in recv(); a plain close() would not send FIN until that
        # returns, so the server would never see the disconnect. shutdown() wakes it and does.
        stream = self.response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        try:
            self._context.__exit__(None, None, None)
        finally:
            self._client.close()

    def __enter__(self) -> SSEStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
