"""Questions to a session's presenters, and the audience's votes on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backchannel.events.models import Session


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a facilitator"  # the session pre-moderates questions
        LIVE = "live", "Open"
        ANSWERED = "answered", "Answered"
        DISMISSED = "dismissed", "Dismissed"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    body = models.TextField()
    # Hidden from other attendees, never from the session's presenters and facilitators.
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LIVE)
    vote_count = models.PositiveIntegerField(default=0)
    # A duplicate merged into another question: its votes moved there; it is not listed.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["session", "status", "-vote_count", "-id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="question_client_id_once_per_author",
            )
        ]

    def __str__(self) -> str:
        return f"Q{self.pk} in {self.session_id}: {self.body[:40]}"

    @property
    def is_listed(self) -> bool:
        return self.merged_into_id is None and self.status in (
            self.Status.LIVE,
            self.Status.ANSWERED,
        )


class Vote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="one_vote")]

    def __str__(self) -> str:
        return f"{self.user_id} votes {self.question_id}"


class Poll(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        WORDS = "words", "Word cloud of short answers"
        RATING = "rating", "Rating scale"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="polls")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Results shown only once the poll closes, so early answers do not sway later ones.
    hide_results = models.BooleanField(default=False)
    scale_max = models.PositiveSmallIntegerField(default=5)  # rating: 1..scale_max
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.question

    @property
    def scale_range(self) -> range:
        return range(1, self.scale_max + 1)

    @property
    def results_visible(self) -> bool:
        return not self.hide_results or self.status == self.Status.CLOSED


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.label


class PollResponse(models.Model):
    """One per person and poll: the chosen options, the short answer, or the rating."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    options = models.ManyToManyField(PollOption, blank=True, related_name="responses")
    text = models.CharField(max_length=40, blank=True)  # words: a short answer
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_response_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.poll_id}"
