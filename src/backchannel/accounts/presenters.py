"""How a person looks on a page: their avatar. Plain string building, because feeds render it
once per post and the live stream once per new post (issue #17)."""

from __future__ import annotations

import functools
import zlib
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def hue(handle: str) -> int:
    """A stable hue per person for their initials avatar."""
    return zlib.crc32(handle.lower().encode()) % 360


@functools.cache
def profile_prefix() -> str:
    """`/u/`: the profile's address before the handle (handles need no quoting)."""
    return reverse("profile", args=["x"])[:-2]


def profile_url(person: Any) -> str:
    return profile_prefix() + person.username + "/"


def avatar_html(person: Any, size: str = "", link: bool = False) -> SafeString:
    """A person's picture, or their initials on a colour of their own. Decorative: their name
    is always written next to it."""
    classes = "avatar" + (f" avatar--{size}" if size else "")
    if person.avatar_url:
        src = escape(person.avatar_url)
        inner = f'<img src="{src}" alt="" width="256" height="256" loading="lazy">'
        classes += " avatar--image"
    else:
        inner = escape(person.initials)
        # A class, not a style attribute: the Content-Security-Policy allows no inline styles.
        classes += f" hue-{hue(person.username) // 10}"
    if link:
        href = escape(profile_url(person))
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<a class="{classes}" href="{href}" aria-hidden="true" tabindex="-1">{inner}</a>'
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<span class="{classes}" aria-hidden="true">{inner}</span>'
    )
