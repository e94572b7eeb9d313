"""Federation's writes: our actors' keys, and staff's decisions about other servers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import regex
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from django.utils import timezone

from backchannel.accounts.models import User
from backchannel.errors import Invalid, NotAllowed
from backchannel.events.models import Event, Session
from backchannel.text import clean_line

from . import permissions
from .models import Activity, ActorKey, Delivery, Follow, Instance, Received, ServerDecision

# A host name, with a port for servers on one machine (tests, the demo's peers).
_DOMAIN = regex.compile(r"^[a-z0-9]([a-z0-9-]{0,62}\.)*[a-z0-9-]{1,63}(:[0-9]{1,5})?\Z")

Owner = User | Event | Session
PRUNE_AFTER = dt.timedelta(days=30)


def _owner_field(owner: Owner) -> dict[str, Owner]:
    if isinstance(owner, User):
        return {"user": owner}
    if isinstance(owner, Event):
        return {"event": owner}
    return {"session": owner}


def _new_pair() -> tuple[str, str]:
    """RSA 2048, what Mastodon signs with: (public PEM, private PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return public_pem, private_pem


def _key(**owner: Any) -> ActorKey:
    existing = ActorKey.objects.filter(**owner).first()
    if existing is not None:
        return existing
    public_pem, private_pem = _new_pair()
    try:
        with transaction.atomic():
            return ActorKey.objects.create(public_pem=public_pem, private_pem=private_pem, **owner)
    except IntegrityError:  # made at the same moment by another request: that one stands
        return ActorKey.objects.get(**owner)


def key_of(owner: Owner) -> ActorKey:
    """The actor's key pair, made on first use."""
    return _key(**_owner_field(owner))


def site_key() -> ActorKey:
    """The key of the site's own actor (`/actor`), made on first use."""
    return _key(site=True)


def decide_server(actor: User, domain: Any, *, policy: Any, reason: Any = "") -> ServerDecision:
    """Staff's decision about another server: allow, limit, block, or "" to lift it. Logged
    (ServerDecision) whatever it is. Blocking also ends its follows here: nothing more is sent
    to it."""
    if not permissions.can_decide_servers(actor):
        raise NotAllowed("Only site staff decide which servers this one federates with.")
    domain = clean_line(domain, field="domain", max_length=253, required=True).lower()
    if not _DOMAIN.match(domain):
        raise Invalid("Give the server's name, such as mastodon.example.", field="domain")
    if policy not in ("", *Instance.Policy.values):
        raise Invalid("Choose allow, limit, block, or none.", field="policy")
    reason = clean_line(reason, field="reason", max_length=300)
    with transaction.atomic():
        if policy:
            Instance.objects.update_or_create(
                domain=domain, defaults={"policy": policy, "reason": reason, "decided_by": actor}
            )
        else:
            Instance.objects.filter(domain=domain).delete()
        if policy == Instance.Policy.BLOCK:
            Follow.objects.filter(follower__domain=domain).delete()
            Delivery.objects.filter(domain=domain, state=Delivery.State.PENDING).update(
                state=Delivery.State.DEAD, last_error="The server was blocked."
            )
        return ServerDecision.objects.create(
            domain=domain, policy=policy, reason=reason, decided_by=actor
        )


def prune(older_than: dt.timedelta = PRUNE_AFTER) -> dict[str, int]:
    """Forget federation's bookkeeping past `older_than` (`backchannel prune`): handled
    activities we received, and what we sent that no post needs (Accepts, Likes, Undos,
    Deletes). What was sent about a post stays while the post does: deleting it later must
    reach every server that got it."""
    cutoff = timezone.now() - older_than
    received = Received.objects.filter(received_at__lt=cutoff).exclude(state=Received.State.PENDING)
    finished = Activity.objects.filter(post__isnull=True, created_at__lt=cutoff).exclude(
        deliveries__state=Delivery.State.PENDING
    )
    return {
        "received": received.delete()[1].get("federation.Received", 0),
        "sent": finished.delete()[1].get("federation.Activity", 0),  # with their deliveries
    }
