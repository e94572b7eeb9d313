"""The stream log keeps a retention window; posts are never pruned with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from backchannel.cli import main
from backchannel.feed.actions import create_post
from backchannel.feed.models import Post
from backchannel.realtime.actions import prune_stream_events
from backchannel.realtime.models import StreamEvent


def test_prune_deletes_old_stream_events_only(db: Any, conference: Any, settings: Any) -> None:
    settings.BACKCHANNEL_STREAM_RETENTION_HOURS = 24
    old = create_post(conference.attendee.user, conference.session, body="old").post
    new = create_post(conference.attendee.user, conference.session, body="new").post
    StreamEvent.objects.filter(payload__post__id=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    assert prune_stream_events() == 1
    assert [e.payload["post"]["id"] for e in StreamEvent.objects.all()] == [new.pk]
    assert Post.objects.count() == 2


def test_prune_command(db: Any, conference: Any, capsys: Any) -> None:
    create_post(conference.attendee.user, conference.session, body="x")
    StreamEvent.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert main(["prune", "--hours", "3"]) == 0
    assert StreamEvent.objects.count() == 1
    assert main(["prune", "--hours", "1"]) == 0
    assert "1 stream events deleted" in capsys.readouterr().out
    assert StreamEvent.objects.count() == 0
