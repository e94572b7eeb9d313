"""Importing an export (archive/exports.py, JSON) as a new event: for moving a conversation
between Backchannel sites, or restoring one. People are matched by handle; people who were
anonymised in the export (or are unknown here) become inactive placeholder accounts under the
same label, so a re-export reads the same. Poll results are not imported (they are counts,
not answers); everything else is."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse

from backchannel.accounts.models import User
from backchannel.errors import Invalid
from backchannel.events import actions as event_actions
from backchannel.events.models import Event, Session
from backchannel.events.queries import lobby_of
from backchannel.feed.models import Hashtag, Post
from backchannel.feed.text import render
from backchannel.qa.models import Question

from .exports import SCHEMA


def _when(value: Any, field: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise Invalid(f"{field} is not a date and time.", field=field) from None


class _People:
    def __init__(self) -> None:
        self.placeholders: dict[str, User] = {}

    def get(self, author: dict[str, Any]) -> User:
        handle = author.get("handle")
        if handle:
            user = User.objects.filter(username__iexact=handle).first()
            if user is not None:
                return user
        label = str(author.get("name") or "Attendee")[:50]
        key = handle or label
        if key not in self.placeholders:
            user = User(
                username=f"imported_{secrets.token_hex(6)}",
                display_name=label,
                is_active=False,
                anonymise_in_exports=not handle,
            )
            user.set_unusable_password()
            user.save()
            self.placeholders[key] = user
        return self.placeholders[key]


def import_document(actor: User, document: Any, *, slug: str) -> Event:
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise Invalid(f"This is not a Backchannel export (schema {SCHEMA}).", field="file")
    try:
        source = document["event"]
        sessions = document["sessions"]
        with transaction.atomic():
            event = event_actions.create_event(
                actor,
                slug=slug,
                name=source["name"],
                hashtag=source.get("hashtag", ""),
                description=source.get("description", ""),
                venue=source.get("venue", ""),
                starts_on=dt.date.fromisoformat(source["starts_on"]),
                ends_on=dt.date.fromisoformat(source["ends_on"]),
                timezone=source.get("timezone", "UTC"),
                # Its colour comes along; its pictures stay on the site they were made on.
                accent_colour=source.get("accent_colour") or "",
            )
            people = _People()
            for part in sessions:
                _import_session(actor, event, part, people)
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid(f"The export is incomplete or damaged ({exc}).", field="file") from None
    return event


def _import_session(actor: User, event: Event, part: dict[str, Any], people: _People) -> None:
    if part["kind"] == Session.Kind.LOBBY:
        session = lobby_of(event)
    else:
        session = event_actions.create_session(
            actor,
            event,
            title=part["title"],
            kind=part["kind"],
            abstract=part.get("abstract", ""),
            starts_at=_when(part["starts_at"], "starts_at"),
            ends_at=_when(part["ends_at"], "ends_at"),
            recording_url=part.get("recording_url", ""),
            presenters=[
                h for h in part.get("presenters", []) if User.objects.filter(username=h).exists()
            ],
        )
    new_ids: dict[int, Post] = {}
    for item in part["posts"]:
        author = people.get(item["author"])
        parent = new_ids.get(item["reply_to"]) if item["reply_to"] else None
        body = str(item["body"])
        post = Post.objects.create(
            session=session,
            author=author,
            body=body,
            body_html=render(
                body,
                hashtag_url=lambda tag: reverse("hashtag", args=[event.slug, tag]),
                profile_url=lambda handle: reverse("profile", args=[handle]),
            ),
            reply_to=parent,
            thread_root=(parent.thread_root or parent) if parent else None,
            like_count=int(item.get("likes", 0)),
            coverage=bool(item.get("coverage")),
            official=bool(item.get("official")),
        )
        Post.objects.filter(pk=post.pk).update(created_at=_when(item["created_at"], "created_at"))
        for name in item.get("hashtags", []):
            tag, _ = Hashtag.objects.get_or_create(name=str(name)[:50].lower())
            post.hashtags.add(tag)
        new_ids[int(item["id"])] = post
    for item in part["questions"]:
        author = item["author"]
        question = Question.objects.create(
            session=session,
            author=people.get(author) if author else actor,
            body=str(item["body"]),
            anonymous=author is None,
            status=item["status"],
            vote_count=int(item.get("votes", 0)),
        )
        Question.objects.filter(pk=question.pk).update(
            created_at=_when(item["created_at"], "created_at")
        )
