"""A stream event as it travels after commit: encoded for SSE once, shared by every client."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


@dataclass(frozen=True)
class StreamMessage:
    id: int
    topic: str
    type: str
    payload: dict[str, Any] = field(hash=False, compare=False)

    @cached_property
    def encoded(self) -> bytes:
        data = json.dumps(self.payload, cls=DjangoJSONEncoder, separators=(",", ":"))
        # json.dumps escapes newlines, so `data:` is always a single line.
        return f"id: {self.id}\nevent: {self.type}\ndata: {data}\n\n".encode()
