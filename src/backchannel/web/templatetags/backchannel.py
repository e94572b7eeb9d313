from __future__ import annotations

import zlib

from django import template

register = template.Library()


@register.filter
def hue(handle: str) -> int:
    """A stable hue per person for their initials avatar."""
    return zlib.crc32(handle.lower().encode()) % 360


@register.simple_tag(takes_context=True)
def viewer_has(context: template.Context, name: str, post_id: int) -> bool:
    """Whether `post_id` is in the page's set `name` ("liked", "deletable"). Pages compute
    those sets from the actions' permission rules; the stream renders posts for no one in
    particular and passes none."""
    return post_id in (context.get(name) or ())
