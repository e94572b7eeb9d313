"""The notification centre page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from backchannel.notifications import actions, queries
from backchannel.web.people import signed_in_user


@login_required
@require_http_methods(["GET"])
def centre(request: HttpRequest) -> HttpResponse:
    """The newest notifications; what was unread is marked as such on this page, then read."""
    person = signed_in_user(request)
    items = queries.notifications_for(person)
    unread_ids = {n.pk for n in items if n.read_at is None}
    if unread_ids:
        actions.mark_read(person, up_to=max(unread_ids))
    return render(
        request,
        "notifications/centre.html",
        {"items": items, "unread_ids": unread_ids},
    )
