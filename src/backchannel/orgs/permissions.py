"""Who may do what with organisations: one function per rule."""

from __future__ import annotations

from backchannel.accounts.models import Reader

from .models import Membership, Organisation


def membership_of(user: Reader, organisation: Organisation) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_org_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = Membership.objects.filter(
            organisation=organisation, user=user
        ).first()
    return cache[organisation.pk]


def forget_memberships(user: Reader) -> None:
    user.__dict__.pop("_org_memberships", None)


def can_create_organisation(user: Reader) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_administer(user: Reader, organisation: Organisation) -> bool:
    """Publish policies, add and remove members, see who acknowledged what."""
    if not user.is_authenticated:
        return False
    membership = membership_of(user, organisation)
    return bool(user.is_staff) or (
        membership is not None and membership.role == Membership.Role.ADMIN
    )


def can_acknowledge(user: Reader, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None


def can_post_under(user: Reader, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None
