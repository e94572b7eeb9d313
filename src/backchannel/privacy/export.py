"""Everything a person wrote, for them to take away: their profile, posts, questions, poll
answers, the direct messages they sent and received, who they follow, block and mute. JSON
(one document) or CSV (one file per kind, in a zip). Only ever built for the person
themselves."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.db.models import Q
from django.utils import timezone

from backchannel.accounts.models import Block, Follow, Mute, User
from backchannel.feed.models import Post
from backchannel.messaging.models import Message
from backchannel.qa.models import PollResponse, Question
from backchannel.spreadsheet import csv_text

SCHEMA_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def collect(user: User) -> dict[str, Any]:
    posts = [
        {
            "id": p.pk,
            "event": p.session.event.slug,
            "session": p.session.title,
            "session_id": p.session_id,
            "body": p.body,
            "reply_to": p.reply_to_id,
            "status": "deleted" if p.deleted_at else p.status,
            "created_at": _iso(p.created_at),
        }
        for p in Post.objects.filter(author=user).select_related("session__event").order_by("id")
    ]
    questions = [
        {
            "id": q.pk,
            "event": q.session.event.slug,
            "session": q.session.title,
            "session_id": q.session_id,
            "body": q.body,
            "anonymous": q.anonymous,
            "status": q.status,
            "votes": q.vote_count,
            "created_at": _iso(q.created_at),
        }
        for q in Question.objects.filter(author=user)
        .select_related("session__event")
        .order_by("id")
    ]
    answers = [
        {
            "poll": r.poll.question,
            "session_id": r.poll.session_id,
            "options": [o.label for o in r.options.all()],
            "text": r.text,
            "rating": r.rating,
            "created_at": _iso(r.created_at),
        }
        for r in PollResponse.objects.filter(user=user)
        .select_related("poll")
        .prefetch_related("options")
    ]
    messages = [
        {
            "id": m.pk,
            "direction": "sent" if m.sender_id == user.pk else "received",
            "with": m.recipient.username if m.sender_id == user.pk else m.sender.username,
            "body": "" if m.erased_at else m.body,
            "created_at": _iso(m.created_at),
            "read_at": _iso(m.read_at),
        }
        for m in Message.objects.filter(Q(sender=user) | Q(recipient=user))
        .select_related("sender", "recipient")
        .order_by("id")
    ]
    return {
        "schema": SCHEMA_VERSION,
        "exported_at": _iso(timezone.now()),
        "profile": {
            "handle": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "pronouns": user.pronouns,
            "bio": user.bio,
            "affiliation": user.affiliation,
            "disclaimer": user.disclaimer,
            "website": user.website,
            "mastodon": user.mastodon,
            "direct_messages_from": user.dms_from,
            "anonymise_in_exports": user.anonymise_in_exports,
            "federate_posts": user.federate_posts,
            "joined_at": _iso(user.date_joined),
            "age_confirmed_at": _iso(user.age_confirmed_at),
        },
        "posts": posts,
        "questions": questions,
        "poll_answers": answers,
        "direct_messages": messages,
        "following": [
            f.followee.username
            for f in Follow.objects.filter(follower=user).select_related("followee")
        ],
        "blocking": [
            b.blocked.username for b in Block.objects.filter(blocker=user).select_related("blocked")
        ],
        "muting": [
            m.muted.username for m in Mute.objects.filter(muter=user).select_related("muted")
        ],
    }


def as_json(user: User) -> bytes:
    return json.dumps(collect(user), ensure_ascii=False, indent=2).encode()


def as_csv_zip(user: User) -> bytes:
    """One CSV per kind, safe against spreadsheet formulas, in a zip."""
    data = collect(user)
    files = {
        "profile.csv": csv_text(["field", "value"], data["profile"].items()),
        "following.csv": csv_text(
            ["relation", "handle"],
            [("following", h) for h in data["following"]]
            + [("blocking", h) for h in data["blocking"]]
            + [("muting", h) for h in data["muting"]],
        ),
    }
    for name in ("posts", "questions", "poll_answers", "direct_messages"):
        rows = data[name]
        header = list(rows[0]) if rows else ["(none)"]
        files[f"{name}.csv"] = csv_text(
            header,
            [["; ".join(v) if isinstance(v, list) else v for v in r.values()] for r in rows],
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()
