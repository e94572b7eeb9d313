"""Profile pictures: any common image in, a small square WebP out (backchannel/images.py)."""

from __future__ import annotations

from backchannel.images import MAX_UPLOAD_BYTES, to_webp

__all__ = ["MAX_UPLOAD_BYTES", "SIZE", "prepare"]

SIZE = 256


def prepare(data: bytes) -> bytes:
    return to_webp(data, field="avatar", square=SIZE)
