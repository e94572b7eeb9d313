"""The archive's own data: how many people were watching each feed, for the analytics."""

from __future__ import annotations

from django.db import models


class ViewerCount(models.Model):
    """The most streams one server process had open on a feed's topic during one minute.

    Written once a minute by each process (realtime/census.py); a feed's concurrent viewers in
    a minute are the sum over processes, its peak the largest such sum. No per-viewer rows: the
    count is all the analytics needs."""

    topic = models.CharField(max_length=64)
    minute = models.DateTimeField()
    process = models.CharField(max_length=80)
    peak = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "minute", "process"], name="viewer_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.minute:%Y-%m-%d %H:%M} {self.peak}"
