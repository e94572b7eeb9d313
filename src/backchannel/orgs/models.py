"""Organisations, their members, their versioned social-media policies and who acknowledged
which version."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=1000, blank=True)
    website = models.URLField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role})"


class Policy(models.Model):
    """One version of an organisation's social-media policy. Versions are never edited: a
    change is a new version, which members acknowledge again."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="policies"
    )
    version = models.PositiveIntegerField()
    body = models.TextField(max_length=20_000)  # Markdown
    body_html = models.TextField()  # rendered once, sanitised (richtext.render_markdown)
    # Shown beside every post of a member posting under the organisation.
    disclaimer = models.CharField(max_length=100, blank=True)
    # One per line: the caution check points them out to members as they write.
    terms_to_avoid = models.TextField(max_length=2000, blank=True)
    # A line or two shown in members' composers.
    guidance = models.CharField(max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="one_policy_version")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} policy v{self.version}"

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms_to_avoid.splitlines() if t.strip()]


class Acknowledgement(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "user"], name="acknowledge_once")]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.policy}"
