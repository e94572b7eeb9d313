from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

HANDLE_PATTERN = r"[A-Za-z0-9_]{2,30}"

handle_validator = RegexValidator(
    rf"^{HANDLE_PATTERN}\Z",
    "A handle is 2 to 30 letters, digits or underscores.",
)


class User(AbstractUser):
    """A person. `username` is their @handle; profile fields live here to spare a join."""

    username = models.CharField(
        "handle",
        max_length=30,
        unique=True,
        validators=[handle_validator],
        help_text="2 to 30 letters, digits or underscores. Shown as @handle.",
        error_messages={"unique": "That handle is taken."},
    )
    display_name = models.CharField(max_length=50, blank=True)
    bio = models.TextField(max_length=300, blank=True)
    affiliation = models.CharField(max_length=100, blank=True)
    disclaimer = models.CharField(
        max_length=100,
        blank=True,
        help_text='Shown beside your posts, for example "Views are my own".',
    )
    # The organisation this person posts under (orgs/). While set, `affiliation` is its name and
    # `disclaimer` its policy's required text (copied here: every post shows them, and reading
    # them must not cost a join), and posting needs the current policy acknowledged.
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_handle_ci_unique"),
        ]

    @property
    def handle(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        parts = self.name.split()
        letters = "".join(p[0] for p in parts[:2] if p) or self.username[:2]
        return letters.upper()


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="cli")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"
