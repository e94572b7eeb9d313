"""What may federate. The site federates only with a public address it can be reached at;
an event only when public and its organisers turned federation on; a session when its event
does. Join-code events and everything in them never federate, and remote requests for them
are answered as if they did not exist."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from backchannel.accounts.models import Reader, User
from backchannel.events.models import Event, Session
from backchannel.feed.models import Post

from .models import Instance


def unavailable_because() -> str | None:
    """Why the site cannot federate (None: it can), in words for an organiser."""
    if not settings.BACKCHANNEL_FEDERATION:
        return "Federation is turned off for this site (BACKCHANNEL_FEDERATION)."
    address = urlsplit(settings.BACKCHANNEL_SITE_URL)
    if not address.netloc:
        return (
            "The site's public address is not set (BACKCHANNEL_SITE_URL): other servers "
            "would not know where to find it."
        )
    if address.scheme != "https" and not settings.BACKCHANNEL_FEDERATION_ALLOW_HTTP:
        return "The site's public address must be https for other servers to trust it."
    return None


def site_federates() -> bool:
    return unavailable_because() is None


def event_federates(event: Event) -> bool:
    return (
        site_federates()
        and event.federates
        and event.access == Event.Access.PUBLIC
        and event.purged_at is None
    )


def session_federates(session: Session) -> bool:
    return event_federates(session.event)


def person_federates(user: User) -> bool:
    """People are actors the fediverse can look up while the site federates, as their
    profile page is public here; an account being deleted is gone."""
    return (
        site_federates() and user.is_active and user.deletion_due_at is None and not user.is_remote
    )


def post_federates_out(post: Post, *, ignoring_state: bool = False) -> bool:
    """A post of ours goes to other servers when it is public in a federating event, written
    here by someone who lets their posts travel, and not a comment on a blog article.
    `ignoring_state`: whether it ever could have (a deleted or hidden one is then a Tombstone
    to remote requests, not a 404)."""
    author = post.author
    if author.is_remote or not author.federate_posts or not person_federates(author):
        return False
    if post.article_id is not None or not event_federates(post.session.event):
        return False
    return ignoring_state or (post.is_published and not post.is_deleted)


def instance_policy(domain: str) -> str | None:
    """Site staff's decision about a server ("limit", "block"), or None."""
    found = Instance.objects.filter(domain=domain.lower()).values_list("policy", flat=True)
    return found.first()


def server_allowed(domain: str) -> bool:
    """Whether we take from and send to this server: not blocked, and, when the site federates
    only with the servers staff allowed (BACKCHANNEL_FEDERATION_ALLOWLIST), allowed."""
    policy = instance_policy(domain)
    if policy == Instance.Policy.BLOCK:
        return False
    return policy == Instance.Policy.ALLOW or not settings.BACKCHANNEL_FEDERATION_ALLOWLIST


def allowed_servers(domains: set[str]) -> set[str]:
    """Which of `domains` we send to (`server_allowed` for many, in one query)."""
    policies = dict(Instance.objects.filter(domain__in=domains).values_list("domain", "policy"))
    if settings.BACKCHANNEL_FEDERATION_ALLOWLIST:
        return {d for d in domains if policies.get(d) == Instance.Policy.ALLOW}
    return {d for d in domains if policies.get(d) != Instance.Policy.BLOCK}


def can_decide_servers(user: Reader) -> bool:
    """Site staff decide which servers this one federates with."""
    return bool(user.is_authenticated and user.is_staff)
