from __future__ import annotations

import datetime as dt
import functools
import zlib
import zoneinfo
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from backchannel.federation.permissions import event_federates
from backchannel.federation.permissions import site_federates as federation_available

register = template.Library()


@register.filter
def federates(event: Any) -> bool:
    """The event's public posts travel to other fediverse servers (federation/)."""
    return event is not None and event_federates(event)


@register.simple_tag
def site_federates() -> bool:
    return federation_available()


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
    is always written next to it. Plain string building: feeds render this once per post."""
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
        href = escape(_profile_prefix() + person.username + "/")
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<a class="{classes}" href="{href}" aria-hidden="true" tabindex="-1">{inner}</a>'
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<span class="{classes}" aria-hidden="true">{inner}</span>'
    )


@functools.cache
def _profile_prefix() -> str:
    return reverse("profile", args=["x"])[:-2]


@register.filter
def local_time(value: Any, arg: str) -> str:
    """An ISO 8601 time from an export, as "YYYY-MM-DD HH:MM" in the time zone `arg`
    (the event's), or as it came when it cannot be read."""

    if not value:
        return ""
    try:
        tz_name, _, fmt = arg.partition("|")
        moment = dt.datetime.fromisoformat(str(value)).astimezone(zoneinfo.ZoneInfo(tz_name))
    except (ValueError, KeyError, zoneinfo.ZoneInfoNotFoundError):
        return str(value)
    return moment.strftime(fmt or "%Y-%m-%d %H:%M")


@register.filter
def machine_time(value: Any) -> str:
    """A moment for `<time datetime>`: ISO 8601 in UTC to the millisecond (HTML allows at most
    three digits of a second; Python's isoformat gives six)."""

    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return ""
    if not isinstance(value, dt.datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
