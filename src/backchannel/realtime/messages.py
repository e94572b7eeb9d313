"""A stream event as it travels after commit: encoded for SSE once, shared by every client."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


@dataclass(frozen=True)
class StreamMessage:
    """`payload` when the message was just written; `payload_json` (the stored JSON text) when
    it was read back for a replay, which then needs no decoding and re-encoding: that was half
    the server's time in a reconnect storm (py-spy, bench/reconnect.py)."""

    id: int
    topic: str
    type: str
    payload: dict[str, Any] | None = field(default=None, hash=False, compare=False)
    payload_json: str | None = field(default=None, hash=False, compare=False)

    @cached_property
    def encoded(self) -> bytes:
        if self.payload_json is not None:
            data = self.payload_json
        else:
            data = json.dumps(self.payload, cls=DjangoJSONEncoder, separators=(",", ":"))
        # JSON escapes newlines, so `data:` is always a single line (PostgreSQL's jsonb text
        # and SQLite's stored text are single-line JSON too).
        return f"id: {self.id}\nevent: {self.type}\ndata: {data}\n\n".encode()
