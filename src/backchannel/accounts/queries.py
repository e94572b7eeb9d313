"""Reads of people and of the ties between them (follows, blocks, mutes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from backchannel.errors import NotFound

from .models import ApiToken, Avatar, Block, Follow, Mute, Reader, User


def get_person(handle: str) -> User:
    """An active person by handle; an account being deleted is no longer shown."""
    user = User.objects.filter(
        username__iexact=handle.lstrip("@"), is_active=True, deletion_due_at=None
    ).first()
    if user is None:
        raise NotFound(f"No one is called @{handle.lstrip('@')[:30]} here.")
    return user


def get_person_or_former(handle: str) -> User:
    """Anyone by handle, also a closed account (their old conversations stay readable)."""
    user = User.objects.filter(username__iexact=handle.lstrip("@")).first()
    if user is None:
        raise NotFound(f"No one is called @{handle.lstrip('@')[:30]} here.")
    return user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def follows(follower: User, followee: User) -> bool:
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def blocked_between(a: User, b: User) -> bool:
    """Either has blocked the other."""
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def is_silenced(listener: User, speaker: User) -> bool:
    """`listener` blocks or mutes `speaker`: nothing from them should reach the listener."""
    return (
        Block.objects.filter(blocker=listener, blocked=speaker).exists()
        or Mute.objects.filter(muter=listener, muted=speaker).exists()
    )


def muted_handles(user: Reader) -> list[str]:
    """Whose posts the person does not want in their feeds: people they mute or block."""
    if not user.is_authenticated:
        return []
    muted = Mute.objects.filter(muter=user).values_list("muted__username", flat=True)
    blocked = Block.objects.filter(blocker=user).values_list("blocked__username", flat=True)
    return sorted(set(muted) | set(blocked))


def followed_ids(user: User) -> list[int]:
    return list(Follow.objects.filter(follower=user).values_list("followee_id", flat=True))


@dataclass(frozen=True)
class Ties:
    """How the viewer stands with a person, for their profile."""

    following: bool = False
    followed_by: bool = False
    muting: bool = False
    blocking: bool = False
    blocked_by: bool = False


def ties(viewer: Reader, person: User) -> Ties:
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return Ties()
    return Ties(
        following=Follow.objects.filter(follower=viewer, followee=person).exists(),
        followed_by=Follow.objects.filter(follower=person, followee=viewer).exists(),
        muting=Mute.objects.filter(muter=viewer, muted=person).exists(),
        blocking=Block.objects.filter(blocker=viewer, blocked=person).exists(),
        blocked_by=Block.objects.filter(blocker=person, blocked=viewer).exists(),
    )


def follow_counts(person: User) -> tuple[int, int]:
    """(followers, following)."""
    return (
        Follow.objects.filter(followee=person, follower__is_active=True).count(),
        Follow.objects.filter(follower=person, followee__is_active=True).count(),
    )


def following_of(person: User, *, limit: int = 200) -> list[User]:
    return [
        f.followee
        for f in Follow.objects.filter(follower=person, followee__is_active=True)
        .select_related("followee")
        .order_by("-id")[:limit]
    ]


def followers_of(person: User, *, limit: int = 200) -> list[User]:
    return [
        f.follower
        for f in Follow.objects.filter(followee=person, follower__is_active=True)
        .select_related("follower")
        .order_by("-id")[:limit]
    ]


def avatar_image(handle: str) -> bytes:

    row = (
        Avatar.objects.filter(user__username__iexact=handle, user__is_active=True)
        .values_list("image", flat=True)
        .first()
    )
    if row is None:
        raise NotFound("No picture.")
    return bytes(row)
