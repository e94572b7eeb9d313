"""Exports of a session or a whole event, for organisers: JSON (complete, with a documented
schema, docs/archive.md, and re-importable: archive/importer.py), CSV (safe to open in a
spreadsheet), Markdown and a printable HTML transcript.

What is exported is what readers could see: published posts (never held, hidden, removed or
deleted ones), open and answered questions, closed polls' results. People who asked to be
anonymised in exports (profile setting) appear as "Attendee N", the same N throughout one
export; anonymous questions carry no author."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from backchannel.errors import NotFound
from backchannel.events.models import Event, Session
from backchannel.events.queries import lobby_of, scheduled_sessions
from backchannel.feed.models import Post
from backchannel.feed.queries import PUBLISHED
from backchannel.qa.models import Poll, Question
from backchannel.qa.polls import results
from backchannel.spreadsheet import csv_text

SCHEMA = 1


class _Names:
    """Who wrote what, as each person chose for exports."""

    def __init__(self) -> None:
        self.labels: dict[int, str] = {}

    def author(self, user: Any) -> dict[str, Any]:
        if user.anonymise_in_exports or not user.is_active:
            if user.pk not in self.labels:
                self.labels[user.pk] = f"Attendee {len(self.labels) + 1}"
            return {"handle": None, "name": self.labels[user.pk]}
        return {"handle": user.username, "name": user.name}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _session_part(session: Session, names: _Names) -> dict[str, Any]:
    posts = (
        Post.objects.filter(PUBLISHED, session=session)
        .select_related("author")
        .prefetch_related("hashtags")
        .order_by("id")
    )
    questions = (
        Question.objects.filter(
            session=session,
            status__in=[Question.Status.LIVE, Question.Status.ANSWERED],
            merged_into=None,
        )
        .select_related("author")
        .order_by("id")
    )
    polls = Poll.objects.filter(session=session, status=Poll.Status.CLOSED).order_by("id")
    return {
        "id": session.pk,
        "title": session.title,
        "kind": session.kind,
        "abstract": session.abstract,
        "starts_at": _iso(session.starts_at),
        "ends_at": _iso(session.ends_at),
        "room": session.room.name if session.room else None,
        "presenters": [p.username for p in session.presenters.all()],
        "recording_url": session.recording_url,
        "posts": [
            {
                "id": p.pk,
                "reply_to": p.reply_to_id,
                "author": names.author(p.author),
                "body": p.body,
                "created_at": _iso(p.created_at),
                "hashtags": sorted(h.name for h in p.hashtags.all()),
                "likes": p.like_count,
                "coverage": p.coverage,
                "official": p.official,
            }
            for p in posts
        ],
        "questions": [
            {
                "id": q.pk,
                "body": q.body,
                "status": q.status,
                "votes": q.vote_count,
                "author": None if q.anonymous else names.author(q.author),
                "created_at": _iso(q.created_at),
            }
            for q in questions
        ],
        "polls": [
            {
                "question": found.poll.question,
                "kind": found.poll.kind,
                "answers": found.total,
                "results": [{"label": label, "count": n} for label, n in found.counts],
            }
            for found in (results(poll, for_runner=True) for poll in polls)
        ],
    }


def _on_site(path: str) -> str | None:
    return f"{settings.BACKCHANNEL_SITE_URL}{path}" if path else None


def _event_part(event: Event) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "name": event.name,
        "hashtag": event.hashtag,
        "description": event.description,
        "venue": event.venue,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "timezone": event.timezone,
        # Its look: full addresses on this site (BACKCHANNEL_SITE_URL), null when it has none.
        "accent_colour": event.accent_colour or None,
        "logo": _on_site(event.logo_url),
        "cover": _on_site(event.cover_url),
    }


def session_document(session: Session) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "kind": "session",
        "exported_at": _iso(timezone.now()),
        "event": _event_part(session.event),
        "sessions": [_session_part(session, _Names())],
    }


def event_document(event: Event) -> dict[str, Any]:
    names = _Names()
    sessions = [lobby_of(event), *scheduled_sessions(event)]
    return {
        "schema": SCHEMA,
        "kind": "event",
        "exported_at": _iso(timezone.now()),
        "event": _event_part(event),
        "sessions": [_session_part(s, names) for s in sessions],
    }


def as_csv(document: dict[str, Any]) -> str:
    """One row per post (replies say which post they answer)."""
    rows = []
    for session in document["sessions"]:
        for post in session["posts"]:
            rows.append(
                [
                    session["title"],
                    post["id"],
                    post["reply_to"],
                    post["created_at"],
                    post["author"]["handle"] or "",
                    post["author"]["name"],
                    post["body"],
                    " ".join(f"#{t}" for t in post["hashtags"]),
                    post["likes"],
                    "yes" if post["coverage"] else "",
                ]
            )
    header = ["session", "id", "reply_to", "created_at", "handle", "name", "body", "hashtags"]
    return csv_text([*header, "likes", "live_coverage"], rows)


# Every character that starts or ends something in CommonMark (emphasis, links, code, HTML,
# entities like "&amp;", headings, lists, tables, setext lines), backslash-escaped: a post
# shows as written. Other punctuation stays as it is, so the file still reads well.
_MD_ESCAPE = {ord(c): "\\" + c for c in "\\`*_{}[]()<>#+-.!|~&="}


def _md(text: str) -> str:
    """Text as Markdown that shows literally (no links, emphasis, entities or HTML from posts);
    lines break where the post's did."""
    lines = [line.translate(_MD_ESCAPE) for line in text.replace("\r\n", "\n").split("\n")]
    return "\\\n".join(lines)


def _md_thread(
    lines: list[str],
    by_parent: dict[int | None, list[dict[str, Any]]],
    post: dict[str, Any],
    depth: int,
    zone: ZoneInfo,
) -> None:
    author = post["author"]
    who = author["name"] + (f" (@{author['handle']})" if author["handle"] else "")
    time = _local(post["created_at"], zone).strftime("%H:%M")
    lines.append(f"{'  ' * depth}- **{_md(who)}** {time}: {_md(post['body'])}")
    for reply in by_parent.get(post["id"], []):
        _md_thread(lines, by_parent, reply, depth + 1, zone)


def _local(moment: str, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.fromisoformat(moment).astimezone(zone)


def as_markdown(document: dict[str, Any]) -> str:
    event = document["event"]
    zone = ZoneInfo(event["timezone"])
    dates = f"{event['starts_on']} to {event['ends_on']}, times in {event['timezone']}"
    lines = [f"# {_md(event['name'])}", "", dates, ""]
    for session in document["sessions"]:
        lines += [f"## {_md(session['title'])}", ""]
        if session["recording_url"]:
            lines += [f"Recording: <{session['recording_url']}>", ""]  # an autolink, kept
        by_parent: dict[int | None, list[dict[str, Any]]] = {}
        for post in session["posts"]:
            by_parent.setdefault(post["reply_to"], []).append(post)
        ids = {p["id"] for p in session["posts"]}
        for post in session["posts"]:
            # Top posts, and replies whose post is not in the export (it was taken down).
            if post["reply_to"] is None or post["reply_to"] not in ids:
                _md_thread(lines, by_parent, post, 0, zone)
        if session["questions"]:
            lines += ["", "### Questions", ""]
            for q in session["questions"]:
                lines.append(f"- {_md(q['body'])} ({q['votes']} votes, {q['status']})")
        for poll in session["polls"]:
            lines += ["", f"### Poll: {_md(poll['question'])}", ""]
            lines += [f"- {_md(r['label'])}: {r['count']}" for r in poll["results"]]
        lines.append("")
    return "\n".join(lines)


_TYPES = {
    "json": ("application/json; charset=utf-8", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
}


def download(request: HttpRequest, document: dict[str, Any], fmt: str, name: str) -> HttpResponse:
    """The document in one of the four formats, as a download (HTML opens to print)."""
    if fmt == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2)
    elif fmt == "csv":
        body = as_csv(document)
    elif fmt == "md":
        body = as_markdown(document)
    elif fmt == "html":
        return render(request, "archive/transcript.html", {"doc": document})
    else:
        raise NotFound("No such format.")
    content_type, extension = _TYPES[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
