"""Shapes of the API's input and output, as published in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from ninja.renderers import JSONRenderer

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# The API's one renderer (api/__init__.py), shared with the answer to a post, which is encoded
# without validating it into PostOut again (api/feed.py `posted`).
RENDERER = JSONRenderer()


class Error(Schema):
    detail: str
    code: str
    field: str | None = None


class Finding(Schema):
    kind: str
    start: int
    end: int
    severity: str
    message: str


class CrisisSupport(Schema):
    about: str = Field(
        description="Who may be at risk: self (the author), someone_else (a person the author "
        "writes about) or danger (a threat or violence from another person)."
    )
    language: str = Field(description="en or es: the language of the post and of these words.")
    title: str
    intro: str = Field(description="What to do now, worded for who is at risk.")
    lines: list[str] = Field(description="Where to turn: the event's crisis lines, or defaults.")
    at_event: str = Field(description="Who can help at the event.")


class CautionError(Schema):
    detail: str
    code: str = "caution"
    caution: list[Finding] = Field(
        description="What the caution check found; repeat the "
        "request with `confirm: true` to publish anyway."
    )
    crisis_support: CrisisSupport | None = Field(
        None, description="Crisis resources, when the draft also has crisis language."
    )


class AuthorOut(Schema):
    id: int
    handle: str
    display_name: str
    affiliation: str
    disclaimer: str
    profile_url: str


class PostIn(Schema):
    body: str = Field(..., max_length=10_000, description="At most 280 characters.")
    reply_to: Id | None = None
    client_id: str | None = Field(
        None,
        max_length=64,
        description="Your id for this post; repeating it returns the first post, never a copy.",
    )
    confirm: bool = Field(
        False,
        description="Publish even though the caution check found something (after a 409).",
    )
    coverage: bool = Field(
        False,
        description="Official live coverage (facilitators): pinned at the top of the feed.",
    )


class ArticleRef(Schema):
    id: int
    title: str
    url: str


class PostOut(Schema):
    id: int
    session_id: int
    author: AuthorOut
    body: str
    body_html: str
    reply_to: int | None
    thread_root: int | None
    like_count: int
    created_at: dt.datetime
    deleted: bool
    status: str = Field(
        description="published; held (waiting for a facilitator); hidden or removed (by one). "
        "Only the author and facilitators see posts that are not published."
    )
    official: bool = Field(False, description="Written by the event's organisers or facilitators.")
    tweet_seat: bool = Field(False, description="Written from a reserved Tweet Seat.")
    coverage: bool = Field(False, description="Official live coverage, pinned at the top.")
    article: ArticleRef | None = Field(
        None, description="The blog article this post comments on (comments join its feed)."
    )
    html: str | None = None
    liked: bool | None = None
    crisis_support: CrisisSupport | None = Field(
        None,
        description="Only in the answer to the author's own post, when it has crisis "
        "language: resources to show them at once (the post is published all the same).",
    )


class PostPage(Schema):
    posts: list[PostOut]
    next_before: int | None = Field(description="Pass as `before` for the next older page.")


class ReactionOut(Schema):
    post_id: int
    kind: str
    count: int
    mine: bool


class PersonOut(Schema):
    handle: str
    display_name: str


class RoomOut(Schema):
    id: int
    name: str
    capacity: int | None


class SessionOut(Schema):
    id: int
    title: str
    abstract: str
    kind: str
    room: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    hashtag: str
    presenters: list[PersonOut]
    stream_url: str
    recording_url: str
    archive_url: str


class EventOut(Schema):
    id: int
    slug: str
    name: str
    hashtag: str
    description: str
    venue: str
    starts_on: dt.date
    ends_on: dt.date
    timezone: str
    access: str
    after_event: str
    read_only: bool
    retention_days: int | None
    # How people find and recognise it: the code typed on the start page, and its branding
    # (accent_colour "" and the addresses "" when the organisers set none).
    event_code: str
    accent_colour: str
    logo_url: str
    cover_url: str
    lobby: SessionOut
    rooms: list[RoomOut]
    sessions: list[SessionOut]


class EventSummary(Schema):
    slug: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    access: str


class EventIn(Schema):
    slug: str = Field(..., max_length=50)
    name: str = Field(..., max_length=200)
    starts_on: dt.date
    ends_on: dt.date
    timezone: str = Field("UTC", max_length=64)
    hashtag: str = Field("", max_length=60)
    description: str = Field("", max_length=4000)
    venue: str = Field("", max_length=300)
    access: str = "public"
    join_code: str = Field("", max_length=32)
    after_event: str = Field("open", max_length=20)
    retention_days: int | None = Field(None, ge=0, le=36_500)


class JoinIn(Schema):
    code: str = Field("", max_length=64)
    accept_code_of_conduct: bool = Field(
        False, description="Required (true) when the event has a code of conduct."
    )


class JoinOut(Schema):
    event: str
    role: str


class RoomIn(Schema):
    name: str = Field(..., max_length=200)
    capacity: int | None = Field(None, ge=0, le=1_000_000)


class SessionIn(Schema):
    title: str = Field(..., max_length=300)
    abstract: str = Field("", max_length=8000)
    kind: str = "workshop"
    room_id: Id | None = None
    starts_at: dt.datetime
    ends_at: dt.datetime
    hashtag: str = Field("", max_length=60)
    recording_url: str = Field("", max_length=600)
    presenters: list[Annotated[str, Field(max_length=31)]] = Field(
        default_factory=list, max_length=50, description="Handles of the presenters."
    )


class ProfileOut(Schema):
    handle: str
    display_name: str
    bio: str
    affiliation: str
    disclaimer: str
    pronouns: str
    website: str
    website_verified: bool
    mastodon: str
    mastodon_verified: bool
    avatar_url: str | None
    followers: int
    following: int


class MyProfileOut(ProfileOut):
    dms_from: str
    anonymise_in_exports: bool
    federate_posts: bool


class ProfileIn(Schema):
    display_name: str = Field("", max_length=200)
    bio: str = Field("", max_length=2000)
    affiliation: str = Field("", max_length=300)
    disclaimer: str = Field("", max_length=300)
    pronouns: str | None = Field(None, max_length=200)
    website: str | None = Field(None, max_length=400)
    mastodon: str | None = Field(None, max_length=400)
    dms_from: str | None = Field(None, max_length=20)
    anonymise_in_exports: bool | None = None
    federate_posts: bool | None = None


class TiesOut(Schema):
    handle: str
    following: bool
    followed_by: bool
    muting: bool
    blocking: bool


class PersonBrief(Schema):
    handle: str
    display_name: str
    avatar_url: str | None


class LinksOut(Schema):
    website: bool | None = None
    mastodon: bool | None = None


class DeletionIn(Schema):
    password: str = Field(..., max_length=1000)
    mode: str = Field(..., max_length=20)


class PasswordChangeIn(Schema):
    current_password: str = Field(..., max_length=1000)
    new_password: str = Field(..., max_length=256)


class DeletionOut(Schema):
    deletion_due_at: str | None


class MessageIn(Schema):
    body: str = Field(..., max_length=20000)
    client_id: str | None = Field(None, max_length=200)


class MessageOut(Schema):
    id: int
    sender: str
    recipient: str
    body: str
    erased: bool
    created_at: str
    read: bool


class ConversationOut(Schema):
    partner: PersonBrief
    messages: list[MessageOut]
    can_send: bool
    why_not: str | None
    privacy: str


class ConversationSummaryOut(Schema):
    partner: PersonBrief
    unread: int
    last_message: MessageOut | None


class MessageReportIn(Schema):
    event: str = Field(..., max_length=100)
    reason: str = Field(..., max_length=40)
    note: str = Field("", max_length=2000)


class MessageReportOut(Schema):
    id: int
    event: str
    reason: str
    created: bool


class MessageReportDecisionIn(Schema):
    outcome: str = Field(..., max_length=20)
    message: str = Field("", max_length=2000)


class ReportedMessageOut(Schema):
    id: int
    reason: str
    note: str
    sender: str
    body: str
    created_at: str


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    actor: str | None
    created_at: str
    read: bool


class NotificationsOut(Schema):
    unread: int
    notifications: list[NotificationOut]


class MarkReadIn(Schema):
    up_to: Id | None = None


class MarkReadOut(Schema):
    marked: int
    unread: int


class PreferenceOut(Schema):
    in_app: bool
    email: bool
