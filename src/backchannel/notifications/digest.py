"""The e-mail digest: for each person with an e-mail address, what they have not seen yet of
the kinds they want by e-mail, in one message (`backchannel send-digests`, run on a schedule,
e.g. hourly).

Notifications are listed here. What other domains hold (unread direct messages) joins through
a registered source: messaging sits above notifications (it notifies), so this module cannot
import it; messaging/apps.py registers its source when the app starts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from backchannel.accounts.models import User

from . import queries
from .models import Kind, Notification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    """A source's contribution to one person's digest: its lines, how many things they count,
    and the ids to mark as e-mailed once the mail is accepted."""

    lines: list[str]
    count: int
    ids: list[int]


class Source(Protocol):
    # The preference (a notification Kind) that lets this source into the e-mail.
    kind: str

    def unread(self, user: User) -> Part | None: ...

    def mark_emailed(self, ids: list[int], at: dt.datetime) -> None: ...


_sources: list[Source] = []


def register_source(source: Source) -> None:
    _sources.append(source)


@dataclass(frozen=True)
class Digest:
    user: User
    subject: str
    body: str
    notification_ids: list[int]
    parts: list[tuple[Source, Part]]


def link(path: str) -> str:
    """An absolute link when the site's address is known (mail has no page to be relative to)."""
    return f"{settings.BACKCHANNEL_SITE_URL}{path}" if settings.BACKCHANNEL_SITE_URL else path


def build(user: User) -> Digest | None:
    chosen = queries.preferences(user)
    from_sources = {source.kind for source in _sources}
    wanted = [kind for kind, (_, email) in chosen.items() if email and kind not in from_sources]
    notes = list(
        Notification.objects.filter(
            queries.SHOWN,
            user=user,
            read_at=None,
            emailed_at=None,
            kind__in=wanted,
        ).order_by("id")[:50]
    )
    parts = []
    for source in _sources:
        part = source.unread(user) if chosen[Kind(source.kind)][1] else None
        if part is not None:
            parts.append((source, part))
    if not notes and not parts:
        return None
    lines = [f"Hello {user.name},", "", "Here is what happened on Backchannel since you looked:"]
    lines.append("")
    for n in notes:
        lines.append(f"- {n.text} {link(n.url)}")
    for _, part in parts:
        lines += part.lines
    lines += [
        "",
        "Choose what reaches you by e-mail: " + link("/settings/notifications/"),
    ]
    count = len(notes) + sum(part.count for _, part in parts)
    return Digest(
        user=user,
        subject=f"Backchannel: {count} new for you",
        body="\n".join(lines),
        notification_ids=[n.pk for n in notes],
        parts=parts,
    )


def send_digests() -> int:
    """Send every due digest; returns how many were sent. Each is marked sent only after the
    mail backend accepted it, so a failure is retried next run."""
    sent = 0
    for user in User.objects.filter(is_active=True, deletion_due_at=None).exclude(email=""):
        digest = build(user)
        if digest is None:
            continue
        try:
            send_mail(digest.subject, digest.body, None, [user.email])
        except Exception:  # the backend's connection errors: smtplib.SMTPException, OSError
            log.warning("could not send a digest to user %s", user.pk, exc_info=True)
            continue
        now = timezone.now()
        with transaction.atomic():
            Notification.objects.filter(pk__in=digest.notification_ids).update(emailed_at=now)
            for source, part in digest.parts:
                source.mark_emailed(part.ids, now)
        sent += 1
    return sent
