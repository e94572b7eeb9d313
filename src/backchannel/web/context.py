from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from backchannel.accounts.models import User
from backchannel.accounts.queries import muted_handles
from backchannel.messaging.queries import unread_message_count
from backchannel.notifications.queries import unread_count


def site(request: HttpRequest) -> dict[str, Any]:

    user = getattr(request, "user", None)  # absent on error pages before authentication
    if not isinstance(user, User):
        return {"POST_MAX_LENGTH": settings.BACKCHANNEL_POST_MAX_LENGTH}
    return {
        "POST_MAX_LENGTH": settings.BACKCHANNEL_POST_MAX_LENGTH,
        # The header's counts; the page script keeps them current from the person's stream.
        "unread_notifications": unread_count(user),
        "unread_messages": unread_message_count(user),
        # People whose posts this person does not want to see (muted or blocked): their posts
        # are hidden by a style rule, which also covers posts arriving live.
        "muted_handles": muted_handles(user),
    }
