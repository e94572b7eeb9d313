"""Who is asking, for pages behind @login_required: a typed User for the actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from backchannel.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person making this request. Pages call it behind @login_required, so a
    visitor never gets here; if one does, they are refused rather than passed on as nobody."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
