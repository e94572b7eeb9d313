"""Unread direct messages in the e-mail digest (notifications/digest.py): counted, with who
sent them, never quoted, because mail leaves our hands."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from backchannel.accounts.models import User
from backchannel.notifications.digest import Part, link
from backchannel.notifications.models import Kind

from .models import Message


class UnreadMessages:
    kind: str = Kind.DM

    def unread(self, user: User) -> Part | None:
        messages = list(
            Message.objects.filter(recipient=user, read_at=None, emailed_at=None)
            .select_related("sender")
            .order_by("id")
        )
        if not messages:
            return None
        senders = Counter(m.sender.username for m in messages)
        who = ", ".join(f"@{handle} ({count})" for handle, count in senders.most_common())
        line = f"- {len(messages)} unread direct message(s) from {who}: {link('/messages/')}"
        return Part(lines=[line], count=len(messages), ids=[m.pk for m in messages])

    def mark_emailed(self, ids: list[int], at: dt.datetime) -> None:
        Message.objects.filter(pk__in=ids).update(emailed_at=at)
