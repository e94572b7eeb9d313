"""How a message looks in the API and on its two people's private streams."""

from __future__ import annotations

from typing import Any

from .models import Message


def message_data(message: Message) -> dict[str, Any]:
    erased = message.erased_at is not None
    return {
        "id": message.pk,
        "sender": message.sender.username,
        "recipient": message.recipient.username,
        "body": "" if erased else message.body,
        "erased": erased,
        "created_at": message.created_at.isoformat(),
        "read": message.read_at is not None,
    }
