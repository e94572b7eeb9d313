from __future__ import annotations

from typing import ClassVar, TypeAlias

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from backchannel.db.rowcache import ChangeNotifyingQuerySet

HANDLE_PATTERN = r"[A-Za-z0-9_]{2,30}"

handle_validator = RegexValidator(
    rf"^{HANDLE_PATTERN}\Z",
    "A handle is 2 to 30 letters, digits or underscores.",
)


class UserManager(DjangoUserManager.from_queryset(ChangeNotifyingQuerySet)):  # type: ignore[misc]
    """Django's, with a queryset that tells the row caches of changes (a token's person is
    cached: accounts/tokens.py)."""


class User(AbstractUser):
    """A person. `username` is their @handle; profile fields live here to spare a join."""

    objects: ClassVar[UserManager] = UserManager()

    # Local handles are 2 to 30 characters (the validator); a person on another server is
    # `name@their.server` (federation: see `domain`), hence the longer column.
    username = models.CharField(
        "handle",
        max_length=300,
        unique=True,
        validators=[handle_validator],
        help_text="2 to 30 letters, digits or underscores. Shown as @handle.",
        error_messages={"unique": "That handle is taken."},
    )
    display_name = models.CharField(max_length=50, blank=True)
    # The server a person from elsewhere in the fediverse lives on (their posts and replies
    # arrive through federation/); empty for everyone who signed up here. Such a person never
    # signs in here (no password), is never mailed, and is not counted among the members.
    domain = models.CharField(max_length=253, blank=True, default="")
    # In an event that federates, this person's public posts are copied to the servers of the
    # people who follow its sessions, unless they keep them here.
    federate_posts = models.BooleanField(
        "let my public posts travel to other servers",
        default=True,
        help_text=(
            "In events that federate, public posts can be followed from Mastodon and other "
            "fediverse servers, which keep a copy. Untick to keep yours on this server only."
        ),
    )
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
    # The person's own affiliation and disclaimer, kept while they post under an organisation
    # and put back when they stop (orgs.actions.set_affiliation).
    own_affiliation = models.CharField(max_length=100, blank=True)
    own_disclaimer = models.CharField(max_length=100, blank=True)

    pronouns = models.CharField(max_length=40, blank=True)
    website = models.URLField(max_length=200, blank=True)
    # A Mastodon (or other fediverse) profile address, e.g. https://mastodon.social/@name.
    mastodon = models.URLField(max_length=200, blank=True)
    # Set when the linked page links back to this profile with rel="me" (accounts/links.py);
    # cleared whenever the address changes.
    website_verified_at = models.DateTimeField(null=True, blank=True)
    mastodon_verified_at = models.DateTimeField(null=True, blank=True)
    # 0: no uploaded picture (initials are drawn). Otherwise the version of the Avatar row,
    # part of its address so browsers may cache it for good; kept here to spare a join.
    avatar_version = models.PositiveIntegerField(default=0)

    class DirectMessages(models.TextChoices):
        EVERYONE = "everyone", "Anyone signed in"
        FOLLOWING = "following", "Only people I follow"

    dms_from = models.CharField(
        "direct messages from",
        max_length=10,
        choices=DirectMessages.choices,
        default=DirectMessages.EVERYONE,
    )
    # In exports of event archives (archive/exports.py), show this person as "Attendee N".
    anonymise_in_exports = models.BooleanField(
        "anonymise me in archive exports",
        default=False,
        help_text=(
            "Organisers' downloads of event archives and their activity charts show your"
            " posts without your name."
        ),
    )
    # When the person confirmed at sign-up that they are old enough (settings:
    # BACKCHANNEL_MINIMUM_AGE); null for accounts made by the command line or the demo.
    age_confirmed_at = models.DateTimeField(null=True, blank=True)

    class DeletionMode(models.TextChoices):
        REMOVE = "remove", "Remove my posts, questions and messages"
        ANONYMISE = "anonymise", "Keep my posts and questions, shown as a former member"

    # A deletion asked for and not cancelled: the account is erased after this time
    # (`backchannel purge-accounts`, run on a schedule).
    deletion_due_at = models.DateTimeField(null=True, blank=True)
    deletion_mode = models.CharField(max_length=10, choices=DeletionMode.choices, blank=True)
    # Raised to sign the person out everywhere (part of the session's auth hash).
    session_epoch = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_handle_ci_unique"),
        ]

    def get_session_auth_hash(self) -> str:
        # Django signs every session with this; mixing in the epoch lets one write end all of
        # a person's sessions (account deletion) without touching their password.
        return salted_hmac(
            "backchannel.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=settings.SECRET_KEY,
            algorithm="sha256",
        ).hexdigest()

    @property
    def avatar_url(self) -> str:
        if not self.avatar_version:
            return ""
        return f"/u/{self.username}/avatar/{self.avatar_version}.webp"

    @property
    def handle(self) -> str:
        return self.username

    @property
    def is_remote(self) -> bool:
        """Someone from another fediverse server, known here by their posts."""
        return bool(self.domain)

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

    # Cached with its person (accounts/tokens.py): changes must reach the cache.
    objects = ChangeNotifyingQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"


class Avatar(models.Model):
    """An uploaded picture, resized and re-encoded (no metadata survives). Kept in the
    database: it is small, every process can serve it, and deleting the person deletes it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="avatar")
    image = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"picture of {self.user_id}"


class Follow(models.Model):
    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_set")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_set")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["followee", "follower"], name="follow_followee")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class Block(models.Model):
    """`blocker` does not want to hear from `blocked`: no messages, no notifications, no
    follows either way."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_blocked")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    """`muter` does not see `muted`'s posts in feeds nor hears from them; `muted` is not told."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["muter", "muted"], name="mute_once")]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


# Whoever is reading: a signed-in person or a visitor (what request.user is). Rules and reads
# take a Reader; writes take a User.
Reader: TypeAlias = User | AnonymousUser
