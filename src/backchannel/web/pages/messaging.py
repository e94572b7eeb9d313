"""Pages for direct messages: the conversations, one conversation, reporting a message."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backchannel.errors import ActionError
from backchannel.events.models import Event
from backchannel.feed.queries import get_post_for
from backchannel.messaging import actions, permissions, queries
from backchannel.moderation.models import Reason
from backchannel.text import whole_number
from backchannel.web.people import signed_in_user


def _suggested_recipient(request: HttpRequest) -> str:
    """Sending a draft privately from a reply: the person replied to, if the writer can read
    their post."""

    reply_to = whole_number(request.POST.get("reply_to", ""))
    if reply_to is None:
        return ""
    try:
        return get_post_for(request.user, reply_to).author.username
    except ActionError:
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The conversations. A POST starts one: from the composer's "Send privately instead"
    (the draft arrives, the recipient is chosen here), then with `to` to send it."""
    user = signed_in_user(request)
    compose = None
    status = 200
    if request.method == "POST":
        to = request.POST.get("to", "").strip().lstrip("@")
        body = request.POST.get("body", "")
        compose = {"to": to or _suggested_recipient(request), "body": body, "error": ""}
        if request.POST.get("send") == "1":
            try:
                actions.send_message(user, to, body=body)
            except ActionError as exc:
                compose["error"] = exc.message
                status = exc.status
            else:
                flash.success(request, f"Sent privately to @{to}.")
                return redirect("conversation", to)
    return render(
        request,
        "messaging/inbox.html",
        {"conversations": queries.conversations_for(user), "compose": compose},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, handle: str) -> HttpResponse:
    user = signed_in_user(request)
    draft = ""
    status = 200
    if request.method == "POST":
        draft = request.POST.get("body", "")
        try:
            actions.send_message(
                user,
                handle,
                body=draft,
                client_id=request.POST.get("client_id") or None,
            )
        except ActionError as exc:
            flash.error(request, exc.message)
            status = exc.status
        else:
            return redirect("conversation", handle)
    partner, rows = queries.messages_between(user, handle)
    actions.mark_read(user, partner.username)
    return render(
        request,
        "messaging/conversation.html",
        {
            "partner": partner,
            "rows": rows,
            "why_not": permissions.why_cannot_message(user, partner),
            "draft": draft,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, message_id: int) -> HttpResponse:
    user = signed_in_user(request)
    message = queries.received_message(user, message_id)
    events = list(Event.objects.filter(registrations__user=user).order_by("-id").distinct()[:50])
    error = ""
    if request.method == "POST":
        try:
            actions.report_message(
                user,
                message.pk,
                event_slug=request.POST.get("event", ""),
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
        except ActionError as exc:
            error = exc.message
        else:
            flash.success(
                request,
                "Thank you. The facilitators see this message (and only this one) and will "
                "look at it.",
            )
            return redirect("conversation", message.sender.username)
    return render(
        request,
        "messaging/report.html",
        {"message": message, "events": events, "reasons": Reason.choices, "error": error},
        status=400 if error else 200,
    )
