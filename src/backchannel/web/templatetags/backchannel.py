from __future__ import annotations

import zlib

from django import template

register = template.Library()


@register.filter
def hue(handle: str) -> int:
    """A stable hue per person for their initials avatar."""
    return zlib.crc32(handle.lower().encode()) % 360


@register.simple_tag(takes_context=True)
def liked_by_viewer(context: template.Context, post_id: int) -> bool:
    """Whether the viewer liked the post; pages pass `liked` (a set of post ids), the stream
    renders posts for no one in particular and passes nothing."""
    return post_id in (context.get("liked") or ())
