"""Organisations, their versioned social-media policies, acknowledgements, and posting under
an organisation; accepting an event's code of conduct."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from backchannel.errors import NotAllowed
from backchannel.events import actions as event_actions
from backchannel.events.queries import get_event_for
from backchannel.orgs import actions, permissions, queries
from backchannel.orgs.models import Organisation, Policy

from .auth import SIGNED_IN, actor, viewer
from .schemas import Error

router = Router(tags=["organisations"])


class PolicyOut(Schema):
    version: int
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="Rendered and sanitised.")
    disclaimer: str
    terms_to_avoid: list[str]
    guidance: str
    published_at: dt.datetime


class OrganisationOut(Schema):
    slug: str
    name: str
    description: str
    website: str
    policy: PolicyOut | None
    acknowledged: bool | None = Field(
        description="Whether you acknowledged the current version (members only; else null)."
    )


class OrganisationIn(Schema):
    slug: str = Field(..., max_length=60)
    name: str = Field(..., max_length=200)
    description: str = Field("", max_length=2000)
    website: str = Field("", max_length=300)


class PolicyIn(Schema):
    body: str = Field(..., max_length=40_000)
    disclaimer: str = Field("", max_length=200)
    terms_to_avoid: str = Field("", max_length=4000, description="One term per line.")
    guidance: str = Field("", max_length=600)


class MemberIn(Schema):
    handle: str = Field(..., max_length=31)
    role: Literal["admin", "member"] = "member"


class MemberOut(Schema):
    handle: str
    role: str
    acknowledged_at: dt.datetime | None = Field(description="Of the current policy version.")


class AcknowledgementOut(Schema):
    version: int
    acknowledged_at: dt.datetime


class AffiliationIn(Schema):
    organisation: str | None = Field(
        None, max_length=60, description="An organisation's slug, or null to post as yourself."
    )


class AffiliationOut(Schema):
    organisation: str | None
    affiliation: str
    disclaimer: str


class ConductOut(Schema):
    event: str
    accepted_at: dt.datetime


def _policy_data(policy: Policy | None) -> dict[str, Any] | None:
    if policy is None:
        return None
    return {
        "version": policy.version,
        "body": policy.body,
        "body_html": policy.body_html,
        "disclaimer": policy.disclaimer,
        "terms_to_avoid": policy.term_list,
        "guidance": policy.guidance,
        "published_at": policy.published_at,
    }


def _organisation_data(org: Organisation, user: Any) -> dict[str, Any]:
    policy = queries.current_policy(org)
    member = permissions.membership_of(user, org) is not None
    return {
        "slug": org.slug,
        "name": org.name,
        "description": org.description,
        "website": org.website,
        "policy": _policy_data(policy),
        "acknowledged": queries.has_acknowledged(user, policy) if member and policy else None,
    }


@router.get("/orgs/{slug}", response={200: OrganisationOut, 404: Error})
def get_organisation(request: HttpRequest, slug: str) -> Any:
    """An organisation and its current social-media policy (public)."""
    return _organisation_data(queries.get_organisation(slug), viewer(request))


@router.post("/orgs", auth=SIGNED_IN, response={201: OrganisationOut, 400: Error, 409: Error})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    """Create an organisation; you become its admin."""
    org = actions.create_organisation(actor(request), **payload.dict())
    return Status(201, _organisation_data(org, actor(request)))


@router.get("/orgs/{slug}/policies/{version}", response={200: PolicyOut, 404: Error})
def get_policy(request: HttpRequest, slug: str, version: int) -> Any:
    return _policy_data(queries.get_policy(queries.get_organisation(slug), version))


@router.post(
    "/orgs/{slug}/policies",
    auth=SIGNED_IN,
    response={201: PolicyOut, 400: Error, 403: Error, 404: Error},
)
def publish_policy(request: HttpRequest, slug: str, payload: PolicyIn) -> Any:
    """Publish a new version (admins). Members posting under the organisation acknowledge it
    before they post again; its disclaimer shows beside the posts they write from then on."""
    org = queries.get_organisation(slug)
    policy = actions.publish_policy(actor(request), org, **payload.dict())
    return Status(201, _policy_data(policy))


@router.post(
    "/orgs/{slug}/policies/{version}/acknowledge",
    auth=SIGNED_IN,
    response={200: AcknowledgementOut, 403: Error, 404: Error},
)
def acknowledge(request: HttpRequest, slug: str, version: int) -> Any:
    """Record that you read this version (members; idempotent)."""
    policy = queries.get_policy(queries.get_organisation(slug), version)
    row = actions.acknowledge(actor(request), policy)
    return {"version": policy.version, "acknowledged_at": row.acknowledged_at}


@router.get(
    "/orgs/{slug}/members", auth=SIGNED_IN, response={200: list[MemberOut], 403: Error, 404: Error}
)
def list_members(request: HttpRequest, slug: str) -> Any:
    """Members, and when each acknowledged the current version (admins)."""
    org = queries.get_organisation(slug)
    if not permissions.can_administer(actor(request), org):
        raise NotAllowed("Only the organisation's admins can see its members.")
    policy = queries.current_policy(org)
    if policy is None:
        return [
            {"handle": m.user.username, "role": m.role, "acknowledged_at": None}
            for m in queries.members(org)
        ]
    return [
        {
            "handle": row.membership.user.username,
            "role": row.membership.role,
            "acknowledged_at": row.acknowledged_at,
        }
        for row in queries.acknowledgements(org, policy)
    ]


@router.post(
    "/orgs/{slug}/members",
    auth=SIGNED_IN,
    response={201: MemberOut, 400: Error, 403: Error, 404: Error, 409: Error},
)
def add_member(request: HttpRequest, slug: str, payload: MemberIn) -> Any:
    org = queries.get_organisation(slug)
    membership = actions.add_member(actor(request), org, handle=payload.handle, role=payload.role)
    return Status(
        201, {"handle": membership.user.username, "role": membership.role, "acknowledged_at": None}
    )


@router.delete(
    "/orgs/{slug}/members/{handle}",
    auth=SIGNED_IN,
    response={204: None, 403: Error, 404: Error, 409: Error},
)
def remove_member(request: HttpRequest, slug: str, handle: str) -> Any:
    actions.remove_member(actor(request), queries.get_organisation(slug), handle=handle)
    return Status(204, None)


@router.put(
    "/me/affiliation",
    auth=SIGNED_IN,
    response={200: AffiliationOut, 403: Error, 404: Error},
)
def set_affiliation(request: HttpRequest, payload: AffiliationIn) -> Any:
    """Post under an organisation you are a member of (its name and disclaimer beside your
    posts), or `null` to post as yourself."""
    org = queries.get_organisation(payload.organisation) if payload.organisation else None
    user = actions.set_affiliation(actor(request), org)
    return {
        "organisation": org.slug if org else None,
        "affiliation": user.affiliation,
        "disclaimer": user.disclaimer,
    }


@router.post(
    "/events/{slug}/conduct",
    auth=SIGNED_IN,
    response={200: ConductOut, 400: Error, 403: Error, 404: Error},
)
def accept_conduct(request: HttpRequest, slug: str) -> Any:
    """Accept the event's code of conduct (members who joined before it was set)."""
    event = get_event_for(actor(request), slug)
    registration = event_actions.accept_code_of_conduct(actor(request), event)
    return {"event": event.slug, "accepted_at": registration.conduct_accepted_at}
