"""Closing an account: asked for with the password, ended sessions and streams at once, a
grace period in which signing in can cancel it, then erasure (`backchannel purge-accounts`).

Erasure keeps the person's row as an empty "Former member" so that replies, votes and the
other people's messages keep their shape; everything that said who they were is gone. Their
posts and questions are removed, or kept under "Former member", as they chose. Messages they
sent are erased either way (a private conversation is not kept for the other side's sake);
messages they received stay with their senders."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backchannel.accounts.actions import require_password
from backchannel.accounts.models import ApiToken, Avatar, Block, Follow, Mute, User
from backchannel.errors import Invalid
from backchannel.feed.models import Post
from backchannel.feed.presenters import post_data
from backchannel.messaging.models import Message
from backchannel.messaging.presenters import message_data
from backchannel.notifications.actions import user_topic
from backchannel.notifications.models import Notification, Preference
from backchannel.orgs.models import Membership
from backchannel.qa.actions import rewrite_history
from backchannel.qa.models import Question
from backchannel.realtime.models import StreamEvent
from backchannel.realtime.outbox import record_event, redact_post, revoke_streams

log = logging.getLogger(__name__)


def request_deletion(user: User, *, password: Any, mode: Any) -> dt.datetime:
    """Schedule the account's erasure; returns when. Signs the person out everywhere and
    closes their live streams now."""
    require_password(user, password)
    if mode not in User.DeletionMode.values:
        raise Invalid("Choose what happens to your posts.", field="mode")
    sole_admin = [
        m.organisation.name
        for m in Membership.objects.filter(user=user, role="admin").select_related("organisation")
        if not Membership.objects.filter(organisation=m.organisation, role="admin")
        .exclude(user=user)
        .exists()
    ]
    if sole_admin:
        raise Invalid(
            f"You are the only admin of {', '.join(sole_admin)}. Make someone else an admin "
            "first, so the organisation is not left without one.",
            code="sole_admin",
        )
    due = timezone.now() + dt.timedelta(days=settings.BACKCHANNEL_DELETION_GRACE_DAYS)
    with transaction.atomic():
        user.deletion_due_at = due
        user.deletion_mode = mode
        user.session_epoch += 1  # every signed-in browser is signed out
        user.save(update_fields=["deletion_due_at", "deletion_mode", "session_epoch"])
        ApiToken.objects.filter(user=user).delete()
        revoke_streams(user.pk, None)
    return due


def cancel_deletion(user: User) -> None:
    user.deletion_due_at = None
    user.deletion_mode = ""
    user.save(update_fields=["deletion_due_at", "deletion_mode"])


def purge_due_accounts(now: dt.datetime | None = None) -> int:
    """Erase every account whose grace period is over; returns how many."""
    now = now or timezone.now()
    erased = 0
    for user in User.objects.filter(deletion_due_at__lte=now):
        erase(user)
        erased += 1
    return erased


def _remove_posts(user: User, now: dt.datetime) -> None:
    for post in Post.objects.filter(author=user, deleted_at=None).select_related("session"):
        post.deleted_at = now
        post.body = ""
        post.body_html = ""
        post.save(update_fields=["deleted_at", "body", "body_html"])
        post.hashtags.clear()
        post.mentions.clear()
        redact_post(post.session.topic, post.pk, post.thread_root_id)
        record_event(
            post.session.topic,
            "post.deleted",
            {"post_id": post.pk, "thread_root": post.thread_root_id},
        )


def _remove_questions(user: User) -> None:
    for question in Question.objects.filter(author=user).select_related("session"):
        topic = question.session.topic
        StreamEvent.objects.filter(
            topic=topic, type__startswith="question.", payload__question__id=question.pk
        ).update(type="question.removed", payload={"question_id": question.pk})
        question.body = ""
        question.status = Question.Status.DISMISSED
        question.save(update_fields=["body", "status"])
        record_event(topic, "question.removed", {"question_id": question.pk})


def erase(user: User) -> None:
    now = timezone.now()
    # What names them elsewhere, read before their name goes.
    named_as = f"{user.name} (@{user.username})"
    sent = list(Message.objects.filter(sender=user).values_list("pk", flat=True))
    told = list(Notification.objects.filter(actor=user).values_list("pk", flat=True))
    with transaction.atomic():
        if user.deletion_mode == User.DeletionMode.REMOVE:
            _remove_posts(user, now)
            _remove_questions(user)
        Message.objects.filter(sender=user).update(body="", erased_at=now)
        # Their private topic's replay log held their messages and notifications.
        StreamEvent.objects.filter(topic=f"user:{user.pk}").delete()
        Notification.objects.filter(user=user).delete()
        Preference.objects.filter(user=user).delete()
        Follow.objects.filter(follower=user).delete()
        Follow.objects.filter(followee=user).delete()
        Block.objects.filter(blocker=user).delete()
        Mute.objects.filter(muter=user).delete()
        Avatar.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        Membership.objects.filter(user=user).delete()
        user.username = f"former_{user.pk}"
        user.display_name = "Former member"
        user.email = ""
        user.first_name = user.last_name = ""
        user.bio = user.affiliation = user.disclaimer = user.pronouns = ""
        user.own_affiliation = user.own_disclaimer = ""
        Post.objects.filter(author=user).update(affiliation="", disclaimer="")
        user.website = user.mastodon = ""
        user.website_verified_at = user.mastodon_verified_at = None
        user.avatar_version = 0
        user.organisation = None
        user.is_active = False
        user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.deletion_due_at = None
        user.session_epoch += 1
        user.save()
        _forget_in_replays(user, sent, told, named_as)
        revoke_streams(user.pk, None)
    log.info("erased account %s", user.pk)


def _forget_in_replays(user: User, sent: list[int], told: list[int], named_as: str) -> None:
    """Streams replay from their log: what the account wrote must not come back from there
    either. Their messages in other people's private topics are replayed erased; others'
    notifications of what they did no longer name them; in "anonymise" mode their kept posts
    and questions are replayed as a former member's."""
    for message in Message.objects.filter(pk__in=sent).select_related("sender", "recipient"):
        StreamEvent.objects.filter(
            topic=user_topic(message.recipient_id),
            type="dm.created",
            payload__message__id=message.pk,
        ).update(payload={"message": message_data(message)})
    for notification in Notification.objects.filter(pk__in=told):
        notification.text = notification.text.replace(named_as, "A former member")
        notification.save(update_fields=["text"])
        for event in StreamEvent.objects.filter(
            topic=user_topic(notification.user_id),
            type="notification.created",
            payload__id=notification.pk,
        ):
            event.payload = {**event.payload, "text": notification.text, "actor": None}
            event.save(update_fields=["payload"])
    for post in Post.objects.filter(author=user, status=Post.Status.PUBLISHED, deleted_at=None):
        StreamEvent.objects.filter(
            topic=post.session.topic, type="post.created", payload__post__id=post.pk
        ).update(payload={"post": post_data(post)})
    for question in Question.objects.filter(author=user).select_related("session"):
        rewrite_history(question)
