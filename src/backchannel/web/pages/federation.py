"""The fediverse's side of the site: discovery (WebFinger, NodeInfo, host-meta), inboxes and
actors' collections. Each answers 404 while the site does not federate."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backchannel.accounts.models import User
from backchannel.errors import ActionError, NotAllowed, NotFound
from backchannel.events import permissions as event_permissions
from backchannel.events import queries as event_queries
from backchannel.events.models import Event, Session
from backchannel.federation import (
    actions,
    actors,
    collections,
    discovery,
    linking,
    permissions,
    queries,
)
from backchannel.federation.actors import actor_of, host, session_name
from backchannel.federation.forms import ServerPolicyForm, SessionLinkForm
from backchannel.federation.inbox import receive
from backchannel.web.activity import activity_response, wants_activity
from backchannel.web.forms import show_action_error
from backchannel.web.people import signed_in_user


def _json(document: object, content_type: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(document), status=status, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # discovery is read from web clients too
    return response


def _not_found() -> HttpResponse:
    return JsonResponse({"error": "Not found."}, status=404)


@require_safe
def webfinger(request: HttpRequest) -> HttpResponse:
    resource = request.GET.get("resource", "")
    if not resource:
        return JsonResponse({"error": "Ask for ?resource=acct:name@host."}, status=400)
    try:
        found = discovery.webfinger(resource[:500])
    except discovery.BadResource as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if found is None:
        return _not_found()
    return _json(found, "application/jrd+json; charset=utf-8")


@require_safe
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    if not permissions.site_federates():
        return _not_found()
    return _json(discovery.nodeinfo_links(), "application/json")


@require_safe
def nodeinfo(request: HttpRequest) -> HttpResponse:
    if not permissions.site_federates():
        return _not_found()
    profile = f'application/json; profile="{discovery.NODEINFO_SCHEMA}#"'
    return _json(discovery.nodeinfo(), profile)


@require_safe
def host_meta(request: HttpRequest) -> HttpResponse:
    if not permissions.site_federates():
        return _not_found()
    return HttpResponse(discovery.host_meta(), content_type="application/xrd+xml; charset=utf-8")


# ActivityPub: inboxes, collections, posts.

_INBOX_HEADERS = (
    "signature",
    "signature-input",
    "date",
    "digest",
    "host",
    "content-type",
    "content-digest",
    "content-length",
)


@csrf_exempt
@require_POST
def inbox(request: HttpRequest, **names: Any) -> HttpResponse:
    """Every inbox (shared, a person's, an event's, a session's) takes activities the same
    way: checked here, handled by the queue (federation/inbox.py). An actor's inbox is there
    only while the actor federates."""
    if not permissions.site_federates() or (names and _owner(**names) is None):
        return _not_found()
    headers = {name: request.headers[name] for name in _INBOX_HEADERS if name in request.headers}
    answer = receive(request.method or "POST", request.get_full_path(), headers, request.body)
    return JsonResponse({"message": answer.message}, status=answer.status)


@require_safe
def collection(request: HttpRequest, kind: str, **names: Any) -> HttpResponse:
    """An actor's outbox, followers or following: counts, and the outbox's latest activities
    (who follows whom is not listed)."""
    owner = _owner(**names)
    document = collections.collection(owner, kind) if owner is not None else None
    return activity_response(document)


def _owner(
    handle: str = "", slug: str = "", session_id: str | int | None = None
) -> User | Event | Session | None:
    if handle:
        found: User | Event | Session | None = discovery.person_named(handle)
    elif session_id is not None:
        if len(str(session_id)) > 18:
            return None
        found = discovery.session_numbered(slug, int(session_id))
    else:
        found = discovery.event_named(slug)
    return found if found is not None and actor_of(found) is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def servers(request: HttpRequest) -> HttpResponse:
    """Site staff: the servers this one knows, block or limit one (or allow it, when the site
    federates only with allowed servers), the audit log of those decisions, and deliveries
    that were given up."""
    user = signed_in_user(request)
    if not permissions.can_decide_servers(user):
        raise NotFound("No such page.")
    form = ServerPolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.decide_server(user, **form.cleaned_data)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            now = decision.policy or "treated like any other server"
            messages.success(request, f"Saved: {decision.domain} is now {now}.")
            return redirect("federation_servers")
    return render(
        request,
        "federation/servers.html",
        {
            "form": form,
            "overview": queries.servers_overview(),
            "allowlist": settings.BACKCHANNEL_FEDERATION_ALLOWLIST,
            "unavailable": permissions.unavailable_because(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_links(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Organisers link a session with sessions on other servers (federation/linking.py)."""
    user = signed_in_user(request)
    session = event_queries.get_session_for(user, session_id)
    if session.event.slug != slug:
        raise NotFound("No such session.")
    if not event_permissions.can_manage_event(user, session.event):
        raise NotAllowed("Only the event's organisers link its sessions.")
    form = SessionLinkForm(request.POST or None)
    if request.method == "POST":
        try:
            if "unlink" in request.POST:
                link = linking.link_of(session, request.POST.get("unlink", ""))
                linking.unlink_session(user, link)
                messages.success(request, f"Unlinked from {link.followed.handle}.")
                return redirect("session_links", slug, session_id)
            if form.is_valid():
                link = linking.link_session(user, session, handle=form.cleaned_data["handle"])
                messages.success(
                    request, f"Asked {link.followed.handle} to share its conversation."
                )
                return redirect("session_links", slug, session_id)
        except ActionError as exc:
            show_action_error(form, exc)
    return render(
        request,
        "federation/session_links.html",
        {
            "event": session.event,
            "session": session,
            "form": form,
            "links": linking.links_of(session),
            "name": f"{session_name(session)}@{host()}",
            "unavailable": None
            if permissions.session_federates(session)
            else (permissions.unavailable_because() or "This event does not federate."),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def site_actor(request: HttpRequest) -> HttpResponse:
    """The site's own actor (an `Application`), which signs our requests for documents;
    browsers are sent to the About page."""
    if not permissions.site_federates():
        return _not_found()
    if not wants_activity(request):
        return redirect("about")
    response = activity_response(actors.site_actor())
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def site_outbox(request: HttpRequest) -> HttpResponse:
    if not permissions.site_federates():
        return _not_found()
    outbox = {
        "@context": actors.CONTEXT,
        "id": f"{actors.site_actor_id()}/outbox",
        "type": "OrderedCollection",
        "totalItems": 0,
        "orderedItems": [],
    }
    return activity_response(outbox)
