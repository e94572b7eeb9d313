"""Pages of the feed: a session's room, the lobby, hashtags; no-JavaScript fallbacks for writes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from backchannel.blog import queries as blog_queries
from backchannel.errors import ActionError, NotAllowed, NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events import queries as event_queries
from backchannel.events.models import Session
from backchannel.federation import discovery
from backchannel.feed import actions, permissions, queries, sharing
from backchannel.feed.models import Reaction
from backchannel.orgs import queries as org_queries
from backchannel.qa import permissions as qa_permissions
from backchannel.realtime.queries import current_position
from backchannel.text import whole_number
from backchannel.wall import actions as wall_actions
from backchannel.wall import permissions as wall_permissions
from backchannel.wall import queries as wall_queries
from backchannel.wall.forms import WallSettingsForm
from backchannel.web import crisis as web_crisis
from backchannel.web.activity import negotiated
from backchannel.web.people import signed_in_user
from backchannel.web.posting import post_from_form


def _page_position(request: HttpRequest) -> int | None:
    value = request.GET.get("before", "")
    return whole_number(value)


def _reply_target(request: HttpRequest, session: Session) -> Any:
    """The post a no-JavaScript "Reply" link asked to answer (`?reply_to=`), if it is one of
    this feed's the reader may see; anything else starts a new thread."""
    post_id = whole_number(request.GET.get("reply_to", ""))
    if post_id is None:
        return None
    try:
        post = queries.get_post_for(request.user, post_id)
    except NotFound:
        return None
    return post if post.session_id == session.pk else None


def room_context(
    request: HttpRequest,
    session: Session,
    *,
    draft: str = "",
    caution: list[dict[str, str]] | None = None,
    crisis: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What a page showing a session's live feed and composer needs: the room, and a blog
    article's conversation (web/pages/blog.py). `crisis`: resources to show at once (the post
    being sent has crisis language); otherwise those a write just before left to show."""
    event = session.event
    before = _page_position(request)
    # Read the stream position first: the live stream then resumes from it, so a post made
    # while this page renders arrives live rather than falling between page and stream.
    position = current_position(session.topic)
    threads = queries.threads(session, before=before)
    shown = [t.root for t in threads] + [r for t in threads for r in t.replies]
    return {
        "event": event,
        "session": session,
        "threads": threads,
        "coverage": queries.coverage(session),
        "can_post_coverage": permissions.can_post_coverage(request.user, session),
        "liked": queries.liked_by(request.user, [p.pk for p in shown]),
        "deletable": {p.pk for p in shown if permissions.can_delete_post(request.user, p)},
        "older": threads[-1].root.pk if len(threads) == queries.PAGE_SIZE else None,
        "can_post": permissions.can_post(request.user, session),
        "can_moderate": event_permissions.can_moderate_event(request.user, event),
        "restriction": event_permissions.restriction_at(request.user, event),
        "owes_conduct": event_permissions.owes_code_of_conduct(request.user, event),
        "org_standing": org_queries.posting_standing(request.user),
        "registration": event_queries.registration_of(request.user, event),
        "stream_position": position,
        "draft": draft,
        "replying_to": _reply_target(request, session),
        "caution": caution or [],
        "crisis": crisis or web_crisis.take(request),
    }


def _room(
    request: HttpRequest,
    session: Session,
    *,
    draft: str = "",
    caution: list[dict[str, str]] | None = None,
    crisis: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = room_context(request, session, draft=draft, caution=caution, crisis=crisis)
    if request.GET.get("fragment") == "threads":
        return render(request, "feed/_older_threads.html", context)
    context["articles"] = blog_queries.articles_about(session)
    context["runs_questions"] = qa_permissions.can_run_questions(request.user, session)
    return render(request, "feed/session.html", context, status=status)


@negotiated(lambda post_id: discovery.post_numbered(post_id))
@require_safe
def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    """A post's own address (its id in the fediverse): the post in its session's feed."""
    post = queries.get_post_for(request.user, post_id)
    return redirect(_room_url(post.session) + f"#post-{post.pk}")


@negotiated(lambda slug, session_id: discovery.session_numbered(slug, session_id))
def session_room(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = event_queries.get_session_for(request.user, session_id)
    if session.event.slug != slug:
        raise NotFound("No such session.")
    if session.is_lobby:
        return redirect("lobby", slug)
    return _room(request, session)


def lobby(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_queries.get_event_for(request.user, slug)
    return _room(request, event_queries.lobby_of(event))


def _room_url(session: Session) -> str:
    if session.is_lobby:
        return reverse("lobby", args=[session.event.slug])
    return reverse("session", args=[session.event.slug, session.pk])


@login_required
@require_POST
def post(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = event_queries.get_session_for(request.user, session_id)
    return post_from_form(
        request,
        lambda: actions.create_post(
            signed_in_user(request),
            session,
            body=request.POST.get("body", ""),
            reply_to=whole_number(request.POST.get("reply_to", "")),
            client_id=request.POST.get("client_id") or None,
            confirm=request.POST.get("confirm") == "1",
            coverage=request.POST.get("coverage") == "on",
        ),
        page=lambda **page: _room(request, session, **page),
        back=_room_url(session),
        posted=lambda result: _room_url(session),
        held="Thanks. Your post is waiting for a facilitator and appears once approved; you "
        "will hear back either way.",
    )


@login_required
@require_POST
def delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = queries.get_post_for(request.user, post_id)
    actions.delete_post(signed_in_user(request), post)
    messages.success(request, "Your post is deleted.")
    return redirect(_room_url(post.session))


@login_required
@require_POST
def like(request: HttpRequest, post_id: int) -> HttpResponse:
    post = queries.get_post_for(request.user, post_id)
    try:
        actions.set_reaction(
            signed_in_user(request),
            post,
            kind=Reaction.Kind.LIKE,
            on=request.POST.get("on", "1") == "1",
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect(_room_url(post.session) + f"#post-{post.pk}")


def hashtag(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    event = event_queries.get_event_for(request.user, slug)
    posts = queries.tagged(event, tag)
    return render(request, "feed/hashtag.html", {"event": event, "tag": tag, "posts": posts})


@login_required
def following(request: HttpRequest, slug: str) -> HttpResponse:
    """Posts by the people the viewer follows, across every session of the event."""
    event = event_queries.get_event_for(request.user, slug)
    before = request.GET.get("before", "")
    posts = queries.by_followed(event, signed_in_user(request), before=whole_number(before))
    return render(
        request,
        "feed/following.html",
        {"event": event, "posts": posts, "older": posts[-1].pk if len(posts) == 50 else None},
    )


# --- The projector wall ----------------------------------------------------------------------


def _wall_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    shown = wall_queries.snapshot(session)
    return {
        "event": session.event,
        "session": session,
        "posts": shown.posts,
        "now_answering": shown.now_answering,
        "poll": shown.poll,
        "poll_results": shown.poll_results,
        "can_run_wall": wall_permissions.can_run_wall(request.user, session),
    }


def wall_page(
    request: HttpRequest,
    slug: str,
    session_id: int,
    *,
    settings_form: WallSettingsForm | None = None,
) -> HttpResponse:
    """The big screen: join link and QR code, the question being answered, the open poll, and
    the posts the wall may show. Also what a presenter opens to see what the wall shows, and,
    with `?control=1`, where facilitators choose what it shows."""
    session = event_queries.get_session_for(request.user, session_id)
    if session.event.slug != slug:
        raise NotFound("No such session.")
    control = (
        request.GET.get("control") == "1" or settings_form is not None
    ) and wall_permissions.can_run_wall(request.user, session)
    join_url = request.build_absolute_uri(_room_url(session))
    context = {
        **_wall_context(request, session),
        "join_url": join_url,
        "join_host": request.get_host(),
        "qr_svg": wall_queries.join_qr_svg(join_url),
        "stream_position": current_position(session.topic),
        "control": control,
        "recent": queries.posts(session, limit=30) if control else [],
        "settings_form": settings_form
        or WallSettingsForm(
            initial={"mode": session.wall_mode, "delay_seconds": session.wall_delay_seconds}
        ),
    }
    return render(request, "feed/wall.html", context, status=400 if settings_form else 200)


def _back_to_wall(request: HttpRequest, session: Session) -> HttpResponse:
    return redirect(reverse("wall", args=[session.event.slug, session.pk]) + "?control=1")


def _runnable_wall(request: HttpRequest, slug: str, session_id: int) -> Session:
    session = event_queries.get_session_for(request.user, session_id)
    if session.event.slug != slug:
        raise NotFound("No such session.")
    if not wall_permissions.can_run_wall(request.user, session):
        raise NotAllowed("Only the event's facilitators control the wall.")
    return session


@login_required
@require_POST
def wall_settings(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Delay or approval mode, and the delay (what `PUT /api/v1/sessions/{id}/wall` sets)."""
    session = _runnable_wall(request, slug, session_id)
    form = WallSettingsForm(request.POST)
    if not form.is_valid():
        return wall_page(request, slug, session_id, settings_form=form)
    wall_actions.configure(
        signed_in_user(request),
        session,
        mode=form.cleaned_data["mode"],
        delay_seconds=form.cleaned_data["delay_seconds"],
    )
    messages.success(request, "The wall's settings are saved.")
    return _back_to_wall(request, session)


@login_required
@require_POST
def wall_approve(request: HttpRequest, slug: str, session_id: int, post_id: int) -> HttpResponse:
    """Show a post on the wall in approval mode, or take it off (`on=0`), without JavaScript."""
    session = _runnable_wall(request, slug, session_id)
    post = queries.get_post_for(request.user, post_id)
    if post.session_id != session.pk:
        raise NotFound("No such post in this session.")
    wall_actions.approve(signed_in_user(request), post, on=request.POST.get("on") != "0")
    return _back_to_wall(request, session)


@login_required
@require_POST
def wall_pause(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """The kill switch, without JavaScript: pause or resume."""
    session = _runnable_wall(request, slug, session_id)
    try:
        wall_actions.configure(
            signed_in_user(request),
            session,
            paused=request.POST.get("paused") == "1",
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(reverse("wall", args=[slug, session_id]))


# --- Sharing ---------------------------------------------------------------------------------


def _shareable(request: HttpRequest, post_id: int) -> tuple[Any, str]:
    post = queries.get_post_for(request.user, post_id)
    if not post.is_published or not post.session.event.is_public:
        # Only public posts of public events go elsewhere.
        raise NotFound("This post cannot be shared.")
    return post, request.build_absolute_uri(_room_url(post.session)) + f"#post-{post.pk}"


def share(request: HttpRequest, post_id: int) -> HttpResponse:
    post, url = _shareable(request, post_id)
    return render(
        request,
        "feed/share.html",
        {
            "post": post,
            "event": post.session.event,
            "text": sharing.share_text(post),
            "links": sharing.links(post, url),
            "url": url,
        },
    )


def share_mastodon(request: HttpRequest, post_id: int) -> HttpResponse:
    post, url = _shareable(request, post_id)
    try:
        target = sharing.mastodon_link(post, url, request.GET.get("instance", ""))
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("share_post", args=[post.pk]))
    # Not a bare redirect: anyone can make this link name any server, so the person sees
    # where it leads and chooses to go.
    host = urlsplit(target).hostname or ""
    context = {"post": post, "event": post.session.event, "host": host, "target": target}
    return render(request, "feed/share_leave.html", context)
