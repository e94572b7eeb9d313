from __future__ import annotations

from django.conf import settings
from django.db import models

from backchannel.events.models import Session


class Hashtag(models.Model):
    name = models.CharField(max_length=50, unique=True)  # stored lower-case

    def __str__(self) -> str:
        return f"#{self.name}"


class Post(models.Model):
    # On SQLite, a migration adding a NOT NULL column rebuilds this table and drops the search
    # triggers on it: put them back after it (archive/migrations/0003_search_triggers_*).
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HELD = "held", "Waiting for a facilitator"  # pre-moderation or a word filter
        HIDDEN = "hidden", "Hidden by a facilitator"  # reversible
        REMOVED = "removed", "Removed by a facilitator"  # text erased, final

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    body = models.TextField()
    # Rendered once at write time (escaped text, links, hashtags, mentions): feeds are read far
    # more often than written.
    body_html = models.TextField()
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    # The top post of the thread this post belongs to (null for a top post).
    thread_root = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="thread_posts"
    )
    # NULL, not "", for "no client id": the uniqueness constraint applies only to real ids.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    like_count = models.PositiveIntegerField(default=0)
    hashtags = models.ManyToManyField(Hashtag, blank=True, related_name="posts")
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )
    # Approved for the projector wall by a facilitator (sessions whose wall shows only those).
    wall_approved_at = models.DateTimeField(null=True, blank=True)
    # Official live coverage by the event's facilitators: shown in a pinned running thread at
    # the top of the session's feed instead of among the posts.
    coverage = models.BooleanField(default=False)
    # Written from a reserved Tweet Seat of this session: shown with a "Tweet Seat" badge.
    tweet_seat = models.BooleanField(default=False)
    # Written by an organiser or facilitator of the event: shown with an "Official" badge.
    official = models.BooleanField(default=False)
    # A comment on a blog article, published in the article's linked feed (blog/actions.py).
    article = models.ForeignKey(
        "blog.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    # Whom the author spoke for when writing it: their affiliation and disclaimer then (an
    # organisation's name and its policy's disclaimer while posting under it). Kept with the
    # post, so changing one's affiliation later does not re-attribute what was said before.
    affiliation = models.CharField(max_length=100, blank=True)
    disclaimer = models.CharField(max_length=100, blank=True)
    # Only published posts are shown to readers, in pages, the API and streams.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["session", "-id"], name="post_session_newest"),
            models.Index(fields=["thread_root", "id"], name="post_thread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="post_client_id_once_per_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} in {self.session_id}: {self.body[:40]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deleted_at is None

    @property
    def gone_text(self) -> str:
        """What readers see in place of a post that is not shown (kept while it has replies)."""
        if self.is_deleted:
            return "This post was deleted."
        if self.status == self.Status.HELD:
            return "This post is waiting for a facilitator."
        return "This post was hidden by a facilitator."


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "Like"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LIKE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.post_id}"
