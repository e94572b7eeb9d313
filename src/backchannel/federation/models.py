"""What federation keeps (docs/federation.md): our actors' keys, the remote actors we know, who
follows whom, what we sent and to where, what we received, and staff's decisions about other
servers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ActorKey(models.Model):
    """The RSA key pair an actor signs its requests with, made the first time the actor is
    asked for and kept (remote servers cache the public key by its id). An actor is a person,
    an event or a session: exactly one of the three is set, and the key goes with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.OneToOneField(
        "events.Event", null=True, on_delete=models.CASCADE, related_name="+"
    )
    session = models.OneToOneField(
        "events.Session", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # The site's own actor (`/actor`), which signs our requests for documents (servers in
    # "authorized fetch" mode answer only those): one row, owned by nobody else.
    site = models.BooleanField(default=False)
    public_pem = models.TextField()
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, event__isnull=True, session__isnull=True, site=False)
                    | Q(user__isnull=True, event__isnull=False, session__isnull=True, site=False)
                    | Q(user__isnull=True, event__isnull=True, session__isnull=False, site=False)
                    | Q(user__isnull=True, event__isnull=True, session__isnull=True, site=True)
                ),
                name="actor_key_has_one_owner",
            ),
            models.UniqueConstraint(fields=["site"], condition=Q(site=True), name="one_site_key"),
        ]

    def __str__(self) -> str:
        owner = self.user_id or self.event_id or self.session_id or "site"
        kind = "person" if self.user_id else "event" if self.event_id else "session"
        return f"key of {kind} {owner}"


class RemoteActor(models.Model):
    """Someone (or some group) on another server that we have heard from or deliver to: what
    their actor document said when we last fetched it. A person who posts here also gets an
    account (`user`, with `User.domain` set), so their posts are posts like any other and
    facilitators mute or suspend them with the same sanctions."""

    uri = models.URLField(max_length=2000, unique=True)
    domain = models.CharField(max_length=253, db_index=True)
    kind = models.CharField(max_length=30)
    username = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    inbox = models.URLField(max_length=2000)
    shared_inbox = models.URLField(max_length=2000, blank=True)
    key_id = models.CharField(max_length=2000)
    public_key_pem = models.TextField()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remote_actor",
    )
    fetched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"@{self.username}@{self.domain}"

    @property
    def handle(self) -> str:
        return f"{self.username}@{self.domain}"

    @property
    def delivery_inbox(self) -> str:
        """Where to deliver to them: their server's shared inbox when it has one."""
        return self.shared_inbox or self.inbox


class Follow(models.Model):
    """A remote actor following one of ours (a person, an event or a session): they get what
    it publishes. `activity_uri` is their Follow's id, answered by our Accept and named by
    their Undo."""

    follower = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows")
    followed = models.ForeignKey(ActorKey, on_delete=models.CASCADE, related_name="followers")
    activity_uri = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="remote_follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.followed}"


class Following(models.Model):
    """One of our sessions following a session (a Group) on another server, so that what it
    announces arrives here (session linking, federation/linking.py). `accepted_at`: their
    server said yes."""

    follower = models.ForeignKey(ActorKey, on_delete=models.CASCADE, related_name="following")
    followed = models.ForeignKey(
        RemoteActor, on_delete=models.CASCADE, related_name="followed_by_us"
    )
    activity_uri = models.CharField(max_length=2000, unique=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.followed}"


class Activity(models.Model):
    """An activity one of our actors sent (Create, Announce, Delete, Undo, Like, Accept): kept
    as sent, so every retry delivers the same document with the same id."""

    uri = models.CharField(max_length=2000, unique=True)
    kind = models.CharField(max_length=30)
    sender = models.ForeignKey(ActorKey, on_delete=models.CASCADE, related_name="activities")
    document = models.JSONField()
    # Where it goes; `expanded` once a Delivery row exists for each (federation/delivery.py).
    recipients = models.JSONField(default=list)
    expanded = models.BooleanField(default=True)
    # The post it is about, if any: a later Delete or Undo finds what was sent for it.
    post = models.ForeignKey(
        "feed.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.uri}"


class Delivery(models.Model):
    """One activity on its way to one inbox. The queue's task sends what is due; a failed
    attempt waits longer each time (exponential backoff) and, after days of failure, the
    delivery is dead: kept for site staff to see, never tried again."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Given up after days of failure"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="deliveries")
    inbox = models.URLField(max_length=2000)
    domain = models.CharField(max_length=253, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # While a worker sends it: no other worker takes it until then. A worker killed mid-send
    # leaves it to be taken again when this passes.
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="deliver_once_per_inbox"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.activity} to {self.inbox} ({self.state})"


class Received(models.Model):
    """An activity a remote server posted to one of our inboxes, signature checked, kept until
    the queue has handled it. Its id is unique: a server sending it again changes nothing."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Handled"
        REFUSED = "refused", "Refused"

    uri = models.CharField(max_length=2000, unique=True)
    sender = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="sent")
    document = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    outcome = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.document.get('type', '?')} {self.uri} ({self.state})"


class RemotePost(models.Model):
    """A post that came from another server: the id of the Note there, so its author's later
    Update, Delete and Like find it, and replies here can answer it."""

    post = models.OneToOneField("feed.Post", on_delete=models.CASCADE, related_name="remote")
    uri = models.CharField(max_length=2000, unique=True)
    url = models.URLField(max_length=2000, blank=True)

    def __str__(self) -> str:
        return self.uri


class Instance(models.Model):
    """Site staff's decision about another server (Mastodon's domain blocks): `limit` keeps
    its posts out of feeds until a facilitator approves them; `block` refuses everything from
    it and sends it nothing; `allow` lets it in when the site federates only with the servers
    it allows (BACKCHANNEL_FEDERATION_ALLOWLIST)."""

    class Policy(models.TextChoices):
        ALLOW = "allow", "Allowed (when federating only with allowed servers)"
        LIMIT = "limit", "Limited: its posts wait for a facilitator"
        BLOCK = "block", "Blocked: nothing in, nothing out"

    domain = models.CharField(max_length=253, unique=True)
    policy = models.CharField(max_length=10, choices=Policy.choices)
    reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.domain}: {self.policy}"


class ServerDecision(models.Model):
    """The audit log of staff's decisions about other servers: every change, kept."""

    domain = models.CharField(max_length=253)
    # Empty: the decision was lifted (the server is treated like any other again).
    policy = models.CharField(max_length=10, choices=Instance.Policy.choices, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.domain}: {self.policy or 'lifted'}"
