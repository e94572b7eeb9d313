"""One read rule: the lists (blog, feeds, profiles, the home page) use readable_events, the
pages can_view_event. They must agree for every kind of reader and event, or a list shows what
the event's own page refuses (a banned member reading a join-code event's articles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from backchannel.events import actions
from backchannel.events.permissions import can_view_event, readable_events, role_at


def test_the_list_rule_is_the_page_rule(conference: Any, make_person: Any) -> None:
    from backchannel.events.models import Registration, Sanction
    from backchannel.moderation.actions import lift, sanction

    olive = conference.organiser.user
    closed = actions.create_event(
        olive,
        slug="closed",
        name="Closed",
        access="code",
        join_code="K",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 1),
    )
    events = [conference.event, closed]
    people: dict[str, Any] = {"anonymous": AnonymousUser(), "organiser": olive}
    for name in ("member", "muted", "suspended", "banned", "lifted", "expired", "stranger"):
        people[name] = make_person(name).user
        if name != "stranger":
            for event in events:
                Registration.objects.create(event=event, user=people[name], role="attendee")
    staff = make_person("staffer").user
    staff.is_staff = True
    staff.save()
    people["staff"] = staff
    for event in events:
        sanction(olive, event, people["muted"], kind="mute", reason="spam", minutes=30)
        sanction(olive, event, people["suspended"], kind="suspend", reason="spam")
        sanction(olive, event, people["banned"], kind="ban", reason="harassment")
        lift(olive, sanction(olive, event, people["lifted"], kind="ban", reason="spam"))
        sanction(olive, event, people["expired"], kind="suspend", reason="spam", minutes=5)
    Sanction.objects.filter(user=people["expired"]).update(
        ends_at=timezone.now() - dt.timedelta(minutes=1)
    )

    for name, person in people.items():
        listed = set(readable_events(person).values_list("pk", flat=True))
        for event in events:
            for cache in ("_event_roles", "_event_restrictions", "_event_conduct"):
                person.__dict__.pop(cache, None)
            assert (event.pk in listed) == can_view_event(person, event), (name, event.slug)
    # And the rule says what it should: a ban or a suspension shuts a join-code event.
    assert closed.pk not in set(readable_events(people["banned"]).values_list("pk", flat=True))
    assert closed.pk in set(readable_events(people["lifted"]).values_list("pk", flat=True))
    assert role_at(people["banned"], closed) == "attendee"
