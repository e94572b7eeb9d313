from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from backchannel.accounts.presenters import avatar_html
from backchannel.federation.permissions import event_federates
from backchannel.federation.permissions import site_federates as federation_available
from backchannel.feed.presenters import post_html
from backchannel.text import iso_moment

register = template.Library()


@register.filter
def federates(event: Any) -> bool:
    """The event's public posts travel to other fediverse servers (federation/)."""
    return event is not None and event_federates(event)


@register.simple_tag
def site_federates() -> bool:
    return federation_available()


@register.simple_tag
def avatar(person: Any, size: str = "", link: bool = False) -> str:
    """A person's picture, or their initials on a colour of their own."""
    return avatar_html(person, size, link)


@register.simple_tag(takes_context=True)
def post_card(context: template.Context, post: Any, event: Any) -> str:
    """A post as the feeds show it (feed/presenters.post_html, the stream's renderer too), with
    this page's viewer's likes, delete button and form token."""
    token = str(context.get("csrf_token") or "")
    return post_html(
        post,
        event,
        liked=post.pk in (context.get("liked") or ()),
        deletable=post.pk in (context.get("deletable") or ()),
        csrf_token="" if token == "NOTPROVIDED" else token,  # noqa: S105 - Django's marker
    )


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
    return iso_moment(value)


@register.filter
def ago(value: Any) -> str:
    """ "just now" for the last minute, then "5 minutes ago", "2 hours, 3 minutes ago"
    (Django's timesince alone says "0 minutes")."""

    if not isinstance(value, dt.datetime):
        return ""
    if timezone.now() - value < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(value)} ago"
