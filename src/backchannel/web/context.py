from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from backchannel.moderation.queries import unread_notice_count

    user = getattr(request, "user", None)
    return {
        "POST_MAX_LENGTH": settings.BACKCHANNEL_POST_MAX_LENGTH,
        # Decisions about the person's posts or account they have not seen yet.
        "unread_notices": unread_notice_count(user) if user is not None else 0,
    }
