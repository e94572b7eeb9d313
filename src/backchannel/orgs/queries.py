"""Reads about organisations and policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from backchannel.accounts.models import Reader, User
from backchannel.errors import NotFound

from .models import Acknowledgement, Membership, Organisation, Policy


def get_organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise NotFound("No such organisation.")
    return organisation


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def organisations_of(user: Reader) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def current_policy(organisation: Organisation) -> Policy | None:
    return Policy.objects.filter(organisation=organisation).order_by("-version").first()


def get_policy(organisation: Organisation, version: int) -> Policy:
    policy = Policy.objects.filter(organisation=organisation, version=version).first()
    if policy is None:
        raise NotFound("No such version of the policy.")
    return policy


def members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__username")


def has_acknowledged(user: User, policy: Policy) -> bool:
    return Acknowledgement.objects.filter(policy=policy, user=user).exists()


@dataclass
class AcknowledgementRow:
    membership: Membership
    acknowledged_at: Any  # datetime | None


def acknowledgements(organisation: Organisation, policy: Policy) -> list[AcknowledgementRow]:
    """Every member, and when they acknowledged this version (None: not yet)."""
    when = dict(
        Acknowledgement.objects.filter(policy=policy).values_list("user_id", "acknowledged_at")
    )
    return [AcknowledgementRow(m, when.get(m.user_id)) for m in members(organisation)]


@dataclass(frozen=True)
class Standing:
    """What posting under an organisation needs: its current policy, and whether the person
    acknowledged it."""

    organisation_name: str
    organisation_slug: str
    version: int | None
    acknowledged: bool
    terms: list[str]
    guidance: str

    @property
    def needs_acknowledgement(self) -> bool:
        return self.version is not None and not self.acknowledged


def posting_standing(user: Reader) -> Standing | None:
    """For someone posting under an organisation (else None), in one plain SQL query: it runs
    on every post they make."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return None
    quote = connection.ops.quote_name
    org, policy, ack = (
        quote(Organisation._meta.db_table),
        quote(Policy._meta.db_table),
        quote(Acknowledgement._meta.db_table),
    )
    # Only our own table and column names go into the text; values are parameters.
    sql = (
        f"SELECT o.{quote('name')}, o.{quote('slug')}, p.{quote('version')}, "  # noqa: S608
        f"p.{quote('terms_to_avoid')}, p.{quote('guidance')}, "
        f"(SELECT 1 FROM {ack} a WHERE a.{quote('policy_id')} = p.{quote('id')} "
        f"AND a.{quote('user_id')} = %s) "
        f"FROM {org} o LEFT JOIN {policy} p ON p.{quote('organisation_id')} = o.{quote('id')} "
        f"AND p.{quote('version')} = (SELECT MAX(q.{quote('version')}) FROM {policy} q "
        f"WHERE q.{quote('organisation_id')} = o.{quote('id')}) "
        f"WHERE o.{quote('id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, organisation_id])
        row = cursor.fetchone()
    if row is None:
        return None
    name, slug, version, terms, guidance, acknowledged = row
    return Standing(
        organisation_name=name,
        organisation_slug=slug,
        version=version,
        acknowledged=bool(acknowledged),
        terms=[t.strip() for t in (terms or "").splitlines() if t.strip()],
        guidance=guidance or "",
    )
