"""Who may do what at an event: one function per rule."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from backchannel.accounts.models import Reader, User
from backchannel.errors import NotAllowed

from .models import Event, Registration
from .standing import shut_out_of, standing_at

Role = Registration.Role
STAFF_ROLES = {Role.ORGANISER, Role.FACILITATOR}


def _standing(user: User, event: Event) -> None:
    """Read the user's role and restriction at the event into the caches on the user object
    (they live as long as the request)."""
    roles: dict[int, str | None] = user.__dict__.setdefault("_event_roles", {})
    restrictions: dict[int, str | None] = user.__dict__.setdefault("_event_restrictions", {})
    accepted: dict[int, bool] = user.__dict__.setdefault("_event_conduct", {})
    roles[event.pk], restrictions[event.pk], accepted[event.pk] = standing_at(user.pk, event.pk)


def role_at(user: Reader, event: Event) -> str | None:
    """The user's role at the event, or None. Cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return None
    roles = user.__dict__.get("_event_roles")
    if roles is None or event.pk not in roles:
        _standing(user, event)
    return user.__dict__["_event_roles"][event.pk]


def forget_roles(user: Reader) -> None:
    for cache in ("_event_roles", "_event_restrictions", "_event_conduct"):
        user.__dict__.pop(cache, None)


def restriction_at(user: Reader, event: Event) -> str | None:
    """The user's active sanction at the event ("mute", "suspend", "ban") or None. Cached on
    the user object for the request, like roles."""
    if user is None or not user.is_authenticated:
        return None
    restrictions = user.__dict__.get("_event_restrictions")
    if restrictions is None or event.pk not in restrictions:
        _standing(user, event)
    return user.__dict__["_event_restrictions"][event.pk]


def owes_code_of_conduct(user: Reader, event: Event) -> bool:
    """A member who has not accepted the event's code of conduct (it was set after they
    joined): they accept it before posting. Organisers and facilitators wrote it."""
    if not event.code_of_conduct or not user.is_authenticated:
        return False
    if getattr(user, "is_remote", False):
        # Someone posting from another server cannot be shown it; what they write is held
        # for facilitators when the caution check finds anything (moderation/posting.py).
        return False
    role = role_at(user, event)
    if role is None or role in STAFF_ROLES:
        return False
    return not user.__dict__["_event_conduct"][event.pk]


def is_shut_out(user: Reader, event: Event) -> bool:
    """Suspended or banned: cannot write, react, report or follow the event live."""
    return restriction_at(user, event) in {"suspend", "ban"}


def can_create_event(user: Reader) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return settings.BACKCHANNEL_EVENT_CREATION == "anyone" or user.is_staff


def can_view_event(user: Reader, event: Event) -> bool:
    """Public events are open to all; join-code events to their members (and site staff)."""
    if event.is_public:
        return True
    if bool(getattr(user, "is_staff", False)):
        return True
    return role_at(user, event) is not None and not is_shut_out(user, event)


def readable_events(user: Reader) -> QuerySet[Event]:
    """can_view_event as a query, for lists (the blog and its feeds, profiles, the home page):
    public events, and for members the join-code events they belong to unless they are
    suspended or banned there; everything for site staff. One rule: a list never shows what
    the event's own pages would refuse (tests/events/test_readable.py holds them equal)."""
    if bool(getattr(user, "is_staff", False)):
        return Event.objects.all()
    readable = Q(access=Event.Access.PUBLIC)
    if user.is_authenticated:
        member_of = Registration.objects.filter(user=user).exclude(
            event_id__in=shut_out_of(user.pk)
        )
        readable |= Q(pk__in=member_of.values("event_id"))
    return Event.objects.filter(readable)


def can_join_event(user: Reader, event: Event) -> bool:
    return bool(user.is_authenticated and user.is_active) and restriction_at(user, event) != "ban"


def can_manage_event(user: Reader, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or role_at(user, event) == Role.ORGANISER


def can_moderate_event(user: Reader, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or role_at(user, event) in STAFF_ROLES


def require_open(event: Event) -> None:
    """Refuse writing to an event whose feeds became read-only when it ended (archive/)."""
    if event.is_read_only:
        raise NotAllowed(
            f"{event.name} has ended and its conversation is kept as a read-only archive.",
            code="read_only",
        )


def can_participate(user: Reader, event: Event) -> bool:
    """Write in the event's feeds: a signed-in, active member who is not suspended (a muted
    member may still react; posting checks the mute with its own message), while the event's
    feeds are open."""
    if not user.is_authenticated or not user.is_active or event.is_read_only:
        return False
    return role_at(user, event) is not None and not is_shut_out(user, event)
