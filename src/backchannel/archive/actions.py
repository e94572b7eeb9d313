"""Writes of the archive: viewer counts for the analytics, and deleting a conversation whose
event keeps it for a limited time."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from backchannel.events.models import Event, Session
from backchannel.feed.models import Post
from backchannel.qa.models import Poll, Question
from backchannel.realtime.models import StreamEvent

from .models import ViewerCount

log = logging.getLogger(__name__)


def record_viewers(peaks: dict[str, int], at: dt.datetime, process: str) -> None:
    """Note each topic's peak number of streams in this process for the minute of `at`, keeping
    the larger count when the minute already has one (a census more often than each minute)."""
    minute = at.replace(second=0, microsecond=0)
    existing = {
        row.topic: row
        for row in ViewerCount.objects.filter(minute=minute, process=process, topic__in=list(peaks))
    }
    new = []
    with transaction.atomic():
        for topic, peak in peaks.items():
            row = existing.get(topic)
            if row is None:
                new.append(ViewerCount(topic=topic, minute=minute, process=process, peak=peak))
            elif peak > row.peak:
                row.peak = peak
                row.save(update_fields=["peak"])
        ViewerCount.objects.bulk_create(new)


def purge_event(event: Event) -> int:
    """Delete everything said in the event's feeds (posts, questions, polls, the replay log);
    the event, its schedule and its people stay. Returns how many posts were deleted."""
    sessions = list(Session.objects.filter(event=event))
    topics = [s.topic for s in sessions]
    with transaction.atomic():
        posts = Post.objects.filter(session__event=event)
        count = posts.count()
        Session.objects.filter(event=event).update(now_answering=None)
        # Replies point at their thread by SET_NULL; delete in one statement either way.
        posts.delete()
        Question.objects.filter(session__event=event).delete()
        Poll.objects.filter(session__event=event).delete()
        StreamEvent.objects.filter(topic__in=topics).delete()
        ViewerCount.objects.filter(topic__in=topics).delete()
        event.purged_at = timezone.now()
        event.save(update_fields=["purged_at"])
    log.info("purged event %s: %d posts", event.slug, count)
    return count


def purge_expired(today: dt.date | None = None) -> list[str]:
    """Purge every event whose retention period is over (`backchannel purge-events`, run
    daily); returns the slugs of those that had anything left. Runs again every day, so what
    is written later in feeds kept open goes too."""
    done = []
    for event in Event.objects.filter(retention_days__isnull=False):
        day = today or dt.datetime.now(event.tz).date()
        purge_on = event.purge_on
        if purge_on is not None and day >= purge_on and _has_content(event):
            purge_event(event)
            done.append(event.slug)
    return done


def _has_content(event: Event) -> bool:
    return (
        Post.objects.filter(session__event=event).exists()
        or Question.objects.filter(session__event=event).exists()
        or Poll.objects.filter(session__event=event).exists()
    )
