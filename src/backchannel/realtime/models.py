from __future__ import annotations

from django.db import models


class StreamEvent(models.Model):
    """The transactional outbox: one row per live event, written with the change it announces.

    Its id is the SSE `id:`; clients resume from it. It is a replay log, not the archive.
    """

    id = models.BigAutoField(primary_key=True)
    topic = models.CharField(max_length=64)
    type = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["topic", "id"], name="stream_topic_id"),
            models.Index(fields=["created_at"], name="stream_created"),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.topic} {self.type}"
