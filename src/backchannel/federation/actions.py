"""Federation's writes."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from backchannel.accounts.models import User
from backchannel.events.models import Event, Session

from .models import ActorKey

Owner = User | Event | Session


def _owner_field(owner: Owner) -> dict[str, Owner]:
    if isinstance(owner, User):
        return {"user": owner}
    if isinstance(owner, Event):
        return {"event": owner}
    return {"session": owner}


def key_of(owner: Owner) -> ActorKey:
    """The actor's key pair, made on first use: RSA 2048, what Mastodon signs with."""
    field = _owner_field(owner)
    existing = ActorKey.objects.filter(**field).first()
    if existing is not None:
        return existing
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
    try:
        with transaction.atomic():
            return ActorKey.objects.create(public_pem=public_pem, private_pem=private_pem, **field)
    except IntegrityError:  # made at the same moment by another request: that one stands
        return ActorKey.objects.get(**field)
