"""Articles by an event's organisers. Their comments are posts in the linked feed
(feed.Post.article), so they share the feed's caution check, moderation, reports, rate limits
and live stream."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backchannel.events.models import Event, Session


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)  # stored lower-case

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    # Every article belongs to an event: its organisers write it and its facilitators moderate
    # the comments, which go to the session's feed, or to the event's lobby without a session.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="articles")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="articles"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField()  # Markdown
    body_html = models.TextField()  # rendered and sanitised (richtext.render_markdown)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    cover = models.BinaryField(null=True, blank=True)  # WebP, at most 1600 pixels wide
    cover_alt = models.CharField(max_length=200, blank=True)
    has_cover = models.BooleanField(default=False)
    cover_version = models.PositiveIntegerField(default=0)  # in the cover's URL, for caching
    comments_open = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "-published_at"], name="article_published")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
