"""Every write about organisations: creating one, members, publishing a policy version,
acknowledging it, and posting under an organisation."""

from __future__ import annotations

from typing import Any

import regex
from django.db import IntegrityError, transaction

from backchannel.accounts.models import User
from backchannel.errors import Conflict, Invalid, NotAllowed, NotFound
from backchannel.richtext import render_markdown
from backchannel.text import clean_line, clean_text

from . import permissions, queries
from .models import Acknowledgement, Membership, Organisation, Policy

_SLUG = regex.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?\Z")


def create_organisation(
    actor: User, *, slug: Any, name: Any, description: Any = "", website: Any = ""
) -> Organisation:
    if not permissions.can_create_organisation(actor):
        raise NotAllowed("Sign in to create an organisation.")
    slug = clean_line(slug, field="slug", max_length=50, required=True).lower()
    if not _SLUG.match(slug):
        raise Invalid("The address is lower-case letters, digits and dashes.", field="slug")
    name = clean_line(name, field="name", max_length=100, required=True)
    description = clean_text(description or "", field="description", max_length=1000)
    website = clean_line(website or "", field="website", max_length=200)
    if website and not website.startswith(("https://", "http://")):
        raise Invalid("The website starts with https://.", field="website")
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                slug=slug, name=name, description=description, website=website, created_by=actor
            )
            Membership.objects.create(
                organisation=organisation, user=actor, role=Membership.Role.ADMIN
            )
    except IntegrityError:
        raise Conflict("That address is taken.", code="taken", field="slug") from None
    permissions.forget_memberships(actor)
    return organisation


def _require_admin(actor: User, organisation: Organisation) -> None:
    if not permissions.can_administer(actor, organisation):
        raise NotAllowed("Only the organisation's admins can do that.")


def add_member(actor: User, organisation: Organisation, *, handle: Any, role: Any) -> Membership:
    _require_admin(actor, organisation)
    if role not in Membership.Role.values:
        raise Invalid("The role is admin or member.", field="role")
    handle = clean_line(handle, field="handle", max_length=31, required=True).lstrip("@")
    person = User.objects.filter(username__iexact=handle).first()
    if person is None:
        raise NotFound(f"There is no @{handle}.", field="handle")
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=person, defaults={"role": role}
    )
    if not created and membership.role != role:
        _keep_an_admin(organisation, membership, new_role=role)
        membership.role = role
        membership.save(update_fields=["role"])
    permissions.forget_memberships(person)
    return membership


def _keep_an_admin(organisation: Organisation, membership: Membership, *, new_role: str) -> None:
    if membership.role == Membership.Role.ADMIN and new_role != Membership.Role.ADMIN:
        admins = organisation.memberships.filter(role=Membership.Role.ADMIN).count()
        if admins <= 1:
            raise Conflict("An organisation keeps at least one admin.", code="last_admin")


def remove_member(actor: User, organisation: Organisation, *, handle: str) -> None:
    _require_admin(actor, organisation)
    membership = (
        organisation.memberships.select_related("user")
        .filter(user__username__iexact=handle)
        .first()
    )
    if membership is None:
        raise NotFound(f"@{handle} is not a member.")
    _keep_an_admin(organisation, membership, new_role="gone")
    with transaction.atomic():
        person = membership.user
        membership.delete()
        if person.organisation_id == organisation.pk:
            _stop_posting_under(person)
    permissions.forget_memberships(person)


def publish_policy(
    actor: User,
    organisation: Organisation,
    *,
    body: Any,
    disclaimer: Any = "",
    terms_to_avoid: Any = "",
    guidance: Any = "",
) -> Policy:
    """A new version of the policy. Members posting under the organisation see the new
    disclaimer beside their posts from now on, and acknowledge the new version before they post
    again."""
    _require_admin(actor, organisation)
    body = clean_text(body, field="body", max_length=20_000, required=True)
    disclaimer = clean_line(disclaimer or "", field="disclaimer", max_length=100)
    terms = clean_text(terms_to_avoid or "", field="terms_to_avoid", max_length=2000)
    guidance = clean_line(guidance or "", field="guidance", max_length=300)
    with transaction.atomic():
        last = (
            Policy.objects.select_for_update()
            .filter(organisation=organisation)
            .order_by("-version")
            .first()
        )
        policy = Policy.objects.create(
            organisation=organisation,
            version=(last.version + 1) if last else 1,
            body=body,
            body_html=render_markdown(body),
            disclaimer=disclaimer,
            terms_to_avoid=terms,
            guidance=guidance,
            published_by=actor,
        )
        if disclaimer:
            User.objects.filter(organisation=organisation).update(disclaimer=disclaimer)
    return policy


def acknowledge(actor: User, policy: Policy) -> Acknowledgement:
    """Record that the person read this version (idempotent: the first time counts)."""
    if not permissions.can_acknowledge(actor, policy.organisation):
        raise NotAllowed("Only the organisation's members acknowledge its policy.")
    acknowledgement, _ = Acknowledgement.objects.get_or_create(policy=policy, user=actor)
    return acknowledgement


def set_affiliation(actor: User, organisation: Organisation | None) -> User:
    """Post under an organisation (its name and disclaimer beside every post), or stop."""
    if organisation is None:
        _stop_posting_under(actor)
        return actor
    if not permissions.can_post_under(actor, organisation):
        raise NotAllowed("Only the organisation's members post under its name.")
    policy = queries.current_policy(organisation)
    if actor.organisation_id is None:  # keep their own words to put back when they stop
        actor.own_affiliation, actor.own_disclaimer = actor.affiliation, actor.disclaimer
    actor.organisation = organisation
    actor.affiliation = organisation.name
    if policy is not None and policy.disclaimer:
        actor.disclaimer = policy.disclaimer
    actor.save(
        update_fields=[
            "organisation",
            "affiliation",
            "disclaimer",
            "own_affiliation",
            "own_disclaimer",
        ]
    )
    return actor


def _stop_posting_under(person: User) -> None:
    """Back to speaking for oneself: their own affiliation and disclaimer again (posts written
    under the organisation keep its name: feed.Post.affiliation)."""
    if person.organisation_id is None:
        return
    person.organisation = None
    person.affiliation, person.disclaimer = person.own_affiliation, person.own_disclaimer
    person.own_affiliation = person.own_disclaimer = ""
    person.save(
        update_fields=[
            "organisation",
            "affiliation",
            "disclaimer",
            "own_affiliation",
            "own_disclaimer",
        ]
    )
