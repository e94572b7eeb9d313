"""Writes to the stream log itself: pruning old events."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import StreamEvent


def prune_stream_events(*, older_than: dt.timedelta | None = None) -> int:
    """Delete stream events older than the retention window; returns how many.

    Posts themselves are untouched: this log only lets clients resume. A client whose last id
    is older than the window gets what is left and should reload its page."""
    if older_than is None:
        older_than = dt.timedelta(hours=settings.BACKCHANNEL_STREAM_RETENTION_HOURS)
    deleted, _ = StreamEvent.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
