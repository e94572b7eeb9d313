"""Every write to the feed: posting, deleting, reacting. Each records its stream event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from backchannel import ratelimits
from backchannel.accounts.models import User
from backchannel.accounts.presenters import profile_prefix
from backchannel.care import support
from backchannel.care.check import check as caution_check
from backchannel.care.findings import Finding
from backchannel.db import plain
from backchannel.errors import CautionNeeded, Invalid, NotAllowed, NotFound, RateLimited
from backchannel.events import permissions as event_permissions
from backchannel.events import seats
from backchannel.events.models import Session
from backchannel.orgs import queries as org_queries
from backchannel.realtime.outbox import record_event, redact_post
from backchannel.text import clean_text

from . import permissions, queries
from .models import Hashtag, Post, Reaction
from .presenters import hashtag_url, post_data
from .screening import moderator
from .signals import post_published, post_withdrawn, reacted
from .text import find_entities, render

_CLIENT_ID = regex.compile(r"^[A-Za-z0-9._:-]{1,64}\Z")


@dataclass(frozen=True)
class PostResult:
    post: Post
    created: bool  # False when a retried client_id returned the first post
    data: dict[str, Any]  # post_data(post): what the stream carried, for the API's answer
    findings: tuple[Finding, ...] = ()  # what the caution check found (the author confirmed)

    @property
    def held(self) -> bool:
        """Waiting for a facilitator's approval (pre-moderation or a word filter)."""
        return self.post.status == Post.Status.HELD

    @property
    def crisis_support(self) -> dict[str, Any] | None:
        """Crisis resources for the author's answer only (never the stream), so the page shows
        them however fast the post was sent."""
        return support.for_post(self.findings, self.post.body, self.post.session.event)


def _replayed(post: Post) -> PostResult:
    # A retry gets the first post, and the same resources: its text is checked again.
    return PostResult(
        post, created=False, data=post_data(post), findings=tuple(caution_check(post.body))
    )


def _clean_client_id(client_id: Any) -> str | None:
    if client_id is None or client_id == "":
        return None
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise Invalid(
            "client_id is 1 to 64 letters, digits or . _ : - characters.", field="client_id"
        )
    return client_id


def _earlier_post(author: User, client_id: str | None) -> Post | None:
    if client_id is None:
        return None
    return (
        Post.objects.select_related("author", "session__event")
        .filter(author=author, client_id=client_id)
        .first()
    )


def create_post(
    actor: User,
    session: Session,
    *,
    body: Any,
    reply_to: int | None = None,
    client_id: Any = None,
    confirm: bool = False,
    coverage: bool = False,
    article: Any = None,
    held_for: str = "",
) -> PostResult:
    """Publish a post in a session's feed. `article`: the post is a comment on that blog
    article (blog/actions.py decides where comments go and whether they are open).
    `held_for`: a reason the caller has to hold it for facilitators whatever else is found
    (federation: staff limited the server it came from).

    A post from another server (its author `is_remote`) goes through the same checks, but its
    author cannot be asked to think again: what the caution check would ask about holds it
    for facilitators instead.

    Idempotent by (author, client_id): a retry of an acknowledged post returns that post. The
    database's unique constraint finds retries (no read before every write: retries are rare
    and posting is the hot path).
    """
    ratelimits.enforce("post", user=actor)  # every post, from the API, a page or a comment
    client_id = _clean_client_id(client_id)
    event_permissions.require_open(session.event)
    if event_permissions.role_at(actor, session.event) is not None:
        try:
            # Restrictions and slow mode, before anything else is asked of the author.
            moderator().check_author(actor, session)
        except RateLimited:
            earlier = _earlier_post(actor, client_id)  # a retry is not a new post
            if earlier is None:
                raise
            return _replayed(earlier)
    if not permissions.can_post(actor, session):
        raise NotAllowed("Join this event to post in its feeds.", code="not_a_member")
    if coverage and not permissions.can_post_coverage(actor, session):
        raise NotAllowed("Live coverage is for the event's facilitators.", code="not_staff")
    if event_permissions.owes_code_of_conduct(actor, session.event):
        raise NotAllowed(
            "Read and accept the event's code of conduct before you post.", code="conduct"
        )
    # Posting under an organisation: its current policy acknowledged, its terms checked.
    standing = org_queries.posting_standing(actor)
    if standing is not None and standing.needs_acknowledgement:
        raise NotAllowed(
            f"You post as a member of {standing.organisation_name}: read and acknowledge its "
            f"social-media policy (version {standing.version}) first.",
            code="policy",
        )
    text = clean_text(
        body, field="body", max_length=settings.BACKCHANNEL_POST_MAX_LENGTH, required=True
    )
    # The caution check: medium and high findings wait for the author's confirmation; crisis
    # language never blocks (the answer carries crisis resources: PostResult.crisis_support).
    findings = caution_check(text, standing.terms if standing else ())
    if not confirm and not actor.is_remote and any(f.asks_to_confirm for f in findings):
        raise CautionNeeded(
            findings, crisis_support=support.for_post(findings, text, session.event)
        )
    # Word filters and pre-moderation; what facilitators should see (caution, crisis).
    screening = moderator().screen_text(actor, session, text, findings, held_for=held_for)
    parent = None
    if reply_to is not None:
        parent = queries.reply_parent(session, reply_to)
        if parent is None:
            raise Invalid("You can only reply to a post in this session.", field="reply_to")

    entities = find_entities(text)
    handles = {e.value for e in entities if e.kind == "mention"}
    mentioned = queries.people_by_handle(handles)
    tags = sorted({e.value for e in entities if e.kind == "hashtag"})
    event = session.event
    html = render(
        text,
        entities=entities,
        known_handles=[u.username for u in mentioned],
        hashtag_url=lambda tag: hashtag_url(event.slug, tag),
        profile_url=lambda handle: f"{profile_prefix()}{handle}/",  # handles need no quoting
    )
    try:
        with transaction.atomic():
            post = plain.create(
                Post,
                session=session,
                author=actor,
                body=text,
                body_html=html,
                reply_to=parent,
                thread_root_id=(parent.thread_root_id or parent.pk) if parent else None,
                client_id=client_id,
                status=screening.status,
                official=event_permissions.role_at(actor, session.event)
                in event_permissions.STAFF_ROLES,
                tweet_seat=session.tweet_seats and seats.has_reserved_seat(actor, session),
                coverage=bool(coverage) and parent is None,
                article=article,
                affiliation=actor.affiliation,
                disclaimer=actor.disclaimer,
            )
            _link_entities(post, tags, mentioned)
            data = post_data(post)
            if not screening.held:
                record_event(session.topic, "post.created", {"post": data})
                post_published.send(sender=Post, post=post, mentioned=mentioned)
            moderator().post_written(post, screening)
    except IntegrityError:
        # A retry (or two racing requests) with a client_id already used: the first post.
        earlier = _earlier_post(actor, client_id)
        if earlier is None:
            raise
        return _replayed(earlier)
    return PostResult(post, created=True, data=data, findings=tuple(findings))


def _link_entities(post: Post, tags: list[str], mentioned: list[User]) -> None:
    """The new post's hashtags (made as needed) and mentions, in plain SQL: three statements
    where the ORM built five (the post is new, so nothing is read first)."""
    q, hashtags, tag_links = plain.quote, plain.table(Hashtag), plain.table(Post.hashtags.through)
    if tags:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {hashtags} ({q('name')}) VALUES (%s) "  # noqa: S608
                f"ON CONFLICT ({q('name')}) DO NOTHING",
                [[t] for t in tags],
            )
            marks = ", ".join(["%s"] * len(tags))
            plain.execute(
                cursor,
                f"INSERT INTO {tag_links} ({q('post_id')}, {q('hashtag_id')}) "  # noqa: S608
                f"SELECT %s, h.{q('id')} FROM {hashtags} h "
                f"WHERE h.{q('name')} IN ({marks})",
                [post.pk, *tags],
            )
    if mentioned:
        mention_links = plain.table(Post.mentions.through)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {mention_links} ({q('post_id')}, {q('user_id')}) "  # noqa: S608
                "VALUES (%s, %s)",
                [[post.pk, user.pk] for user in mentioned],
            )


def delete_post(actor: User, post: Post) -> Post:
    """Delete a post: its text is gone at once; replies stay under a placeholder."""
    if not permissions.can_delete_post(actor, post):
        raise NotAllowed("You can only delete your own posts.")
    if post.is_deleted:
        return post
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.body = ""
        post.body_html = ""
        post.save(update_fields=["deleted_at", "body", "body_html"])
        post.hashtags.clear()
        post.mentions.clear()
        # Replays must not send the deleted text again.
        redact_post(post.session.topic, post.pk, post.thread_root_id)
        moderator().post_deleted(post, actor)
        post_withdrawn.send(sender=Post, post=post)
        record_event(
            post.session.topic,
            "post.deleted",
            {"post_id": post.pk, "thread_root": post.thread_root_id},
        )
    return post


def set_reaction(actor: User, post: Post, *, kind: str, on: bool) -> int:
    """Add or take back the actor's reaction; returns the post's new count. Idempotent."""
    if kind not in Reaction.Kind.values:
        raise Invalid("Unknown reaction.", field="kind")
    if not post.is_published:
        raise NotFound("That post is not shown.")
    event_permissions.require_open(post.session.event)
    if not permissions.can_react(actor, post):
        raise NotAllowed("Join this event to react to posts.", code="not_a_member")
    with transaction.atomic():
        if on:
            _, changed = Reaction.objects.get_or_create(post=post, user=actor, kind=kind)
            delta = 1
        else:
            changed = bool(Reaction.objects.filter(post=post, user=actor, kind=kind).delete()[0])
            delta = -1
        if changed:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + delta)
        count = Post.objects.values_list("like_count", flat=True).get(pk=post.pk)
        if changed:
            record_event(
                post.session.topic,
                "reaction.changed",
                {"post_id": post.pk, "kind": kind, "count": count},
            )
            reacted.send(sender=Post, post=post, user=actor, kind=kind, on=on)
    post.like_count = count
    return count
