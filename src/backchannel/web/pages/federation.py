"""Discovery for the fediverse: WebFinger, NodeInfo and host-meta (federation/discovery.py).
Each answers 404 while the site does not federate."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from backchannel.federation import discovery, permissions


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
