"""Pages of moderation: reporting a post, the facilitators' queue, a post's moderation page,
people, word filters, the audit log, appeals; each person's notices; the public transparency
page. Thin: each parses a form and calls one action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backchannel.errors import ActionError, NotFound
from backchannel.events import queries as event_queries
from backchannel.feed import queries as feed_queries
from backchannel.feed.models import Post
from backchannel.messaging import actions as messaging_actions
from backchannel.messaging import queries as messaging_queries
from backchannel.moderation import actions, permissions, queries
from backchannel.moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    ReportForm,
    SanctionForm,
    SessionModerationForm,
    WordFilterForm,
)
from backchannel.moderation.models import Report
from backchannel.realtime.queries import current_position
from backchannel.text import whole_number
from backchannel.web.forms import show_action_error
from backchannel.web.people import signed_in_user


def _room_url(post: Post) -> str:
    session = post.session
    if session.is_lobby:
        return reverse("lobby", args=[session.event.slug])
    return reverse("session", args=[session.event.slug, session.pk]) + f"#post-{post.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, post_id: int) -> HttpResponse:
    post = feed_queries.get_post_for(request.user, post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = actions.report_post(signed_in_user(request), post, **form.cleaned_data)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(
                request,
                "Thank you. The facilitators will look at it. The author is not told who reported."
                if created
                else "You had already reported this post; the facilitators have it.",
            )
            return redirect(_room_url(post))
    status = 400 if form.errors else 200
    return render(
        request,
        "moderation/report.html",
        {"post": post, "event": post.session.event, "form": form},
        status=status,
    )


def _queue_context(request: HttpRequest, slug: str) -> dict[str, Any]:
    event = queries.moderated_event(request.user, slug)
    return {
        "event": event,
        "items": queries.open_queue(event),
        "appeals": queries.pending_appeals(event),
        "message_reports": messaging_queries.open_message_reports(event),
        "sessions": [event_queries.lobby_of(event), *event_queries.scheduled_sessions(event)],
        "stream_position": current_position(f"mod:{event.pk}"),
        "decision_form": DecisionForm(),
    }


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    context = _queue_context(request, slug)
    if request.GET.get("fragment") == "items":
        return render(request, "moderation/_queue_items.html", context)
    return render(request, "moderation/queue.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    event = queries.moderated_event(request.user, slug)
    post = feed_queries.get_post_for(request.user, post_id)
    if post.session.event_id != event.pk:
        raise NotFound("No such post.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the post.")
        return redirect(_back(request, slug))
    data = form.cleaned_data
    user = signed_in_user(request)
    act = {
        "approve": lambda: actions.approve_post(user, post, note=data["note"]),
        "hide": lambda: actions.hide_post(user, post, reason=data["reason"], note=data["note"]),
        "restore": lambda: actions.restore_post(user, post, note=data["note"]),
        "remove": lambda: actions.remove_post(user, post, reason=data["reason"], note=data["note"]),
        "dismiss": lambda: actions.dismiss(user, post, note=data["note"]),
    }[data["action"]]
    try:
        decision = act()
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Done: {decision.summary}.")
    return redirect(_back(request, slug))


@login_required
@require_POST
def decide_message_report(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    event = queries.moderated_event(request.user, slug)
    report = messaging_queries.get_message_report(event, report_id)
    try:
        messaging_actions.close_message_report(
            signed_in_user(request),
            report,
            outcome=request.POST.get("outcome", ""),
            message=request.POST.get("message", ""),
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Done: the report is handled.")
    return redirect(_back(request, slug))


def _back(request: HttpRequest, slug: str) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return reverse("moderation_queue", args=[slug])


@login_required
@require_http_methods(["GET", "POST"])
def post_page(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """One post with its reports and history, and what can be done about its author."""
    event = queries.moderated_event(request.user, slug)
    post = feed_queries.get_post_for(request.user, post_id)
    if post.session.event_id != event.pk:
        raise NotFound("No such post.")
    form = SanctionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply_sanction(request, event, post.author, form, post=post)
    ):
        return redirect("moderate_post", slug, post.pk)
    context = {
        "event": event,
        "post": post,
        "item": queries.queue_item_for(post),
        "reports": Report.objects.filter(post=post).select_related("reporter").order_by("id"),
        "history": post.moderation_log.select_related("actor").order_by("-id"),
        "decision_form": DecisionForm(auto_id="decision-%s"),
        "sanction_form": form,
        "can_sanction": permissions.can_sanction(request.user, event, post.author),
    }
    return render(request, "moderation/post.html", context, status=400 if form.errors else 200)


def _apply_sanction(
    request: HttpRequest, event: Any, target: Any, form: SanctionForm, post: Post | None = None
) -> bool:
    data = form.cleaned_data
    try:
        if data["kind"] == "warn":
            actions.warn(
                signed_in_user(request),
                event,
                target,
                reason=data["reason"],
                message=data["message"],
                post=post,
            )
        else:
            actions.sanction(
                signed_in_user(request),
                event,
                target,
                kind=data["kind"],
                reason=data["reason"],
                minutes=data["minutes"],
                note=data["note"],
            )
    except ActionError as exc:
        show_action_error(form, exc)
        return False
    messages.success(request, f"Done. @{target.username} is told privately.")
    return True


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, slug: str) -> HttpResponse:
    event = queries.moderated_event(request.user, slug)
    form = SanctionForm(request.POST or None)
    if request.method == "POST":
        handle = request.POST.get("handle", "").strip().lstrip("@")
        target = None
        try:
            target = queries.get_person(handle)
        except ActionError as exc:
            form.is_valid()
            form.add_error(None, exc.message)
        if target is not None and form.is_valid() and _apply_sanction(request, event, target, form):
            return redirect("moderation_people", slug)
    return render(
        request,
        "moderation/people.html",
        {"event": event, "sanctions": queries.current_sanctions(event), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def lift(request: HttpRequest, slug: str, sanction_id: int) -> HttpResponse:
    row = queries.get_sanction_for(request.user, sanction_id)
    try:
        actions.lift(signed_in_user(request), row, note=request.POST.get("note", ""))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Lifted. @{row.user.username} is told.")
    return redirect("moderation_people", slug)


@login_required
@require_POST
def session_settings(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = queries.moderated_event(request.user, slug)
    session = event.sessions.filter(pk=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    form = SessionModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Slow mode is a number of seconds from 0 to 3600.")
    else:
        try:
            actions.set_session_moderation(signed_in_user(request), session, **form.cleaned_data)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"“{session.title}”: saved.")
    return redirect("moderation_queue", slug)


@login_required
@require_http_methods(["GET", "POST"])
def word_filters(request: HttpRequest, slug: str) -> HttpResponse:
    event = queries.moderated_event(request.user, slug)
    form = WordFilterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_word_filter(signed_in_user(request), event, **form.cleaned_data)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, f"“{form.cleaned_data['term']}” is filtered.")
            return redirect("word_filters", slug)
    return render(
        request,
        "moderation/filters.html",
        {"event": event, "filters": queries.word_filters(event), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def remove_word_filter(request: HttpRequest, slug: str, filter_id: int) -> HttpResponse:
    row = queries.get_word_filter_for(request.user, filter_id)
    actions.remove_word_filter(signed_in_user(request), row)
    messages.success(request, f"“{row.term}” is no longer filtered.")
    return redirect("word_filters", slug)


@login_required
def log(request: HttpRequest, slug: str) -> HttpResponse:
    event = queries.moderated_event(request.user, slug)
    value = request.GET.get("before", "")
    before = whole_number(value)
    entries = queries.log(event, before=before)
    return render(
        request,
        "moderation/log.html",
        {
            "event": event,
            "entries": entries,
            "older": entries[-1].pk if len(entries) == 50 else None,
        },
    )


@login_required
@require_POST
def decide_appeal(request: HttpRequest, slug: str, appeal_id: int) -> HttpResponse:
    row = queries.get_appeal_for(request.user, appeal_id)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to grant or uphold.")
    else:
        try:
            actions.decide_appeal(signed_in_user(request), row, **form.cleaned_data)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Decided. @{row.user.username} is told.")
    return redirect("moderation_queue", slug)


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    rows = queries.notices_for(signed_in_user(request))
    actions.mark_notices_read(signed_in_user(request))
    appealable = {
        n.pk
        for n in rows
        if n.action is not None and permissions.can_appeal(request.user, n.action)
    }
    return render(
        request,
        "moderation/notices.html",
        {"notices": rows, "appealable": appealable, "form": AppealForm()},
    )


@login_required
@require_POST
def appeal(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = queries.get_decision_for(request.user, decision_id)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say in a few words why the facilitators should look again.")
    else:
        try:
            actions.appeal(signed_in_user(request), decision, **form.cleaned_data)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Sent. The facilitators will look again and tell you here.")
    return redirect("notices")


def transparency(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_queries.get_event_for(request.user, slug)
    return render(
        request,
        "moderation/transparency.html",
        {"event": event, "counts": queries.transparency(event)},
    )
