from __future__ import annotations

import zlib
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

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


@register.simple_tag
def avatar(person: Any, size: str = "", link: bool = False) -> str:
    """A person's picture, or their initials on a colour of their own. Decorative: their name
    is always written next to it."""
    classes = "avatar" + (f" avatar--{size}" if size else "")
    if person.avatar_url:
        inner = format_html(
            '<img src="{}" alt="" width="256" height="256" loading="lazy">', person.avatar_url
        )
        classes += " avatar--image"
    else:
        inner = format_html("{}", person.initials)
    if link:
        return format_html(
            '<a class="{}" href="{}" style="--hue: {}" aria-hidden="true" tabindex="-1">{}</a>',
            classes,
            reverse("profile", args=[person.username]),
            hue(person.username),
            inner,
        )
    return format_html(
        '<span class="{}" style="--hue: {}" aria-hidden="true">{}</span>',
        classes,
        hue(person.username),
        inner,
    )
