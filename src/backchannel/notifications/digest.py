"""The e-mail digest: for each person with an e-mail address, what they have not seen yet of
the kinds they want by e-mail, in one message (`backchannel send-digests`, run on a schedule,
e.g. hourly). Direct messages are counted, never quoted: mail leaves our hands."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from backchannel.accounts.models import User
from backchannel.messaging.models import Message

from . import queries
from .models import Kind, Notification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digest:
    user: User
    subject: str
    body: str
    notification_ids: list[int]
    message_ids: list[int]


def _link(path: str) -> str:
    return f"{settings.BACKCHANNEL_SITE_URL}{path}" if settings.BACKCHANNEL_SITE_URL else path


def build(user: User) -> Digest | None:
    chosen = queries.preferences(user)
    wanted = [kind for kind, (_, email) in chosen.items() if email and kind != Kind.DM]
    notes = list(
        Notification.objects.filter(
            queries.SHOWN,
            user=user,
            read_at=None,
            emailed_at=None,
            kind__in=wanted,
        ).order_by("id")[:50]
    )
    messages = (
        list(
            Message.objects.filter(recipient=user, read_at=None, emailed_at=None)
            .select_related("sender")
            .order_by("id")
        )
        if chosen[Kind.DM][1]
        else []
    )
    if not notes and not messages:
        return None
    lines = [f"Hello {user.name},", "", "Here is what happened on Backchannel since you looked:"]
    lines.append("")
    for n in notes:
        lines.append(f"- {n.text} {_link(n.url)}")
    if messages:
        senders = Counter(m.sender.username for m in messages)
        who = ", ".join(f"@{h} ({c})" for h, c in senders.most_common())
        lines.append(
            f"- {len(messages)} unread direct message(s) from {who}: {_link('/messages/')}"
        )
    lines += [
        "",
        "Choose what reaches you by e-mail: " + _link("/settings/notifications/"),
    ]
    count = len(notes) + len(messages)
    return Digest(
        user=user,
        subject=f"Backchannel: {count} new for you",
        body="\n".join(lines),
        notification_ids=[n.pk for n in notes],
        message_ids=[m.pk for m in messages],
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
            Message.objects.filter(pk__in=digest.message_ids).update(emailed_at=now)
        sent += 1
    return sent
