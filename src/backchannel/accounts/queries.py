"""Reads of people."""

from __future__ import annotations

from django.db.models import QuerySet

from backchannel.errors import NotFound

from .models import ApiToken, User


def get_person(handle: str) -> User:
    user = User.objects.filter(username__iexact=handle.lstrip("@"), is_active=True).first()
    if user is None:
        raise NotFound(f"No one is called @{handle.lstrip('@')[:30]} here.")
    return user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
