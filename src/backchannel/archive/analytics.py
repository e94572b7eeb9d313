"""Numbers for organisers about a session or a whole event: activity over time, hashtags, the
most active people, questions, polls, reach and moderation.

Everything here is counts. People appear by name only when they have not asked to be
anonymised in exports (the same choice as archive/exports.py); otherwise a row says "Someone
who prefers not to be named" with their counts. Anonymous questions are never counted against
a person, so a per-person count cannot reveal who asked them."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from backchannel.events.models import Event, Session
from backchannel.events.queries import lobby_of, scheduled_sessions
from backchannel.feed.models import Post, Reaction
from backchannel.moderation.models import ModerationAction, QueueItem, Reason
from backchannel.moderation.models import Report as PostReport
from backchannel.qa.models import Poll, PollResponse, Question, Vote

from .models import ViewerCount

# A session's chart runs from this long before it starts to this long after it ends.
PADDING = dt.timedelta(minutes=15)
# A timeline has at most this many points; buckets grow to fit (a conference day in 5-minute
# steps, a session minute by minute).
MAX_POINTS = 240
# A day of a several-day event is a chart of its own, narrower: steps of about ten minutes.
MAX_POINTS_A_DAY = 96
BUCKETS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440)
TOP = 10
UNNAMED = "Someone who prefers not to be named"

# The moderation decisions worth counting on a dashboard, in the order shown.
DECISIONS = (
    ModerationAction.Kind.APPROVE,
    ModerationAction.Kind.HIDE,
    ModerationAction.Kind.REMOVE,
    ModerationAction.Kind.RESTORE,
    ModerationAction.Kind.DISMISS,
    ModerationAction.Kind.WARN,
    ModerationAction.Kind.MUTE,
    ModerationAction.Kind.SUSPEND,
    ModerationAction.Kind.BAN,
)


@dataclass
class Timeline:
    """Counts per bucket of `bucket_minutes`, starting at `start` (UTC). `marks` are indexes of
    the buckets holding the session's start and end, for the chart to draw lines at."""

    start: str | None = None
    bucket_minutes: int = 1
    labels: list[str] = field(default_factory=list)
    posts: list[int] = field(default_factory=list)
    questions: list[int] = field(default_factory=list)
    viewers: list[int] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    # Posts and questions written before or after the charted span (the conversation often
    # goes on in the archive for weeks: counted, not stretched over the chart).
    before: int = 0
    after: int = 0


@dataclass
class Day:
    """One day of an event over several days: its own chart, from just before its first
    session (or its first post) to just after its last, in small steps. Over the whole event
    the same activity is a few hairline spikes between empty nights."""

    date: str  # YYYY-MM-DD, where the event takes place
    label: str  # "Thursday 3 December"
    posts: int
    questions: int
    timeline: Timeline

    @property
    def rows(self) -> list[tuple[str, int, int, int]]:
        """The chart's numbers, a row per step, for the table under it."""
        t = self.timeline
        return list(zip(t.labels, t.posts, t.questions, t.viewers, strict=True))


@dataclass
class Dashboard:
    title: str
    scope: str  # "session" or "event"
    timezone: str
    starts_at: str | None
    ends_at: str | None
    totals: dict[str, int]
    timeline: Timeline
    hashtags: list[dict[str, Any]]
    people: list[dict[str, Any]]
    questions: dict[str, int]
    polls: list[dict[str, Any]]
    moderation: dict[str, Any]
    sessions: list[dict[str, Any]] = field(default_factory=list)  # event reports only
    days: list[Day] = field(default_factory=list)  # events over several days only

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def session_report(session: Session) -> Dashboard:
    event = session.event
    report = _report(
        title=session.title,
        scope="session",
        event=event,
        sessions=[session],
        window=(session.starts_at, session.ends_at),
        marked=True,
    )
    return report


def event_report(event: Event) -> Dashboard:
    sessions = [lobby_of(event), *scheduled_sessions(event)]
    # The event's days, midnight to midnight where it takes place.
    first_day = dt.datetime.combine(event.starts_on, dt.time(), tzinfo=event.tz)
    after_last = dt.datetime.combine(event.ends_on + dt.timedelta(days=1), dt.time(), event.tz)
    report = _report(
        title=event.name,
        scope="event",
        event=event,
        sessions=sessions,
        window=(first_day, after_last),
        marked=False,
        by_day=event.ends_on > event.starts_on,
    )
    report.sessions = _per_session(sessions)
    return report


def _report(
    *,
    title: str,
    scope: str,
    event: Event,
    sessions: list[Session],
    window: tuple[dt.datetime | None, dt.datetime | None],
    marked: bool,
    by_day: bool = False,
) -> Dashboard:
    ids = [s.pk for s in sessions]
    posts = Post.objects.filter(session_id__in=ids)
    questions = Question.objects.filter(session_id__in=ids)
    polls = Poll.objects.filter(session_id__in=ids).exclude(status=Poll.Status.DRAFT)
    post_times = list(posts.values_list("created_at", flat=True))
    question_times = list(questions.values_list("created_at", flat=True))
    viewers = _viewers_per_minute([s.topic for s in sessions])

    participants = set(posts.values_list("author_id", flat=True))
    participants |= set(questions.values_list("author_id", flat=True))
    participants |= set(
        Vote.objects.filter(question__session_id__in=ids).values_list("user_id", flat=True)
    )
    participants |= set(
        PollResponse.objects.filter(poll__session_id__in=ids).values_list("user_id", flat=True)
    )
    participants |= set(
        Reaction.objects.filter(post__session_id__in=ids).values_list("user_id", flat=True)
    )
    peak = max(viewers.values(), default=0)

    post_states = Counter(
        "deleted" if deleted else status
        for status, deleted in posts.values_list("status", "deleted_at")
    )
    question_states = Counter(questions.filter(merged_into=None).values_list("status", flat=True))
    totals = {
        "posts": len(post_times),
        "published": post_states[Post.Status.PUBLISHED],
        "replies": posts.exclude(reply_to=None).count(),
        "reactions": Reaction.objects.filter(post__session_id__in=ids).count(),
        "questions": len(question_times),
        "votes": Vote.objects.filter(question__session_id__in=ids).count(),
        "polls": polls.count(),
        "poll_answers": PollResponse.objects.filter(
            poll__session_id__in=ids, poll__in=polls
        ).count(),
        "participants": len(participants),
        "peak_viewers": peak,
    }
    return Dashboard(
        title=title,
        scope=scope,
        timezone=event.timezone,
        starts_at=window[0].isoformat() if window[0] else None,
        ends_at=window[1].isoformat() if window[1] else None,
        totals=totals,
        timeline=_timeline(post_times, question_times, viewers, window, event, marked),
        hashtags=_hashtags(ids),
        people=_people(ids),
        questions={
            "asked": sum(question_states.values()),
            "answered": question_states[Question.Status.ANSWERED],
            "open": question_states[Question.Status.LIVE],
            "waiting": question_states[Question.Status.PENDING],
            "dismissed": question_states[Question.Status.DISMISSED],
            "merged": questions.exclude(merged_into=None).count(),
        },
        polls=_polls(polls, peak),
        moderation=_moderation(event, ids, post_states, scope),
        days=_days(post_times, question_times, viewers, event, sessions) if by_day else [],
    )


def _viewers_per_minute(topics: Iterable[str]) -> dict[dt.datetime, int]:
    """Concurrent viewers of these feeds per minute: each process's peak, added up."""
    per_minute: dict[dt.datetime, int] = defaultdict(int)
    for minute, peak in ViewerCount.objects.filter(topic__in=list(topics)).values_list(
        "minute", "peak"
    ):
        per_minute[minute] += peak
    return dict(per_minute)


def _bucket_size(span: dt.timedelta, max_points: int = MAX_POINTS) -> int:
    minutes = span.total_seconds() / 60
    for size in BUCKETS:
        if minutes / size <= max_points:
            return size
    return BUCKETS[-1]


def _timeline(
    post_times: list[dt.datetime],
    question_times: list[dt.datetime],
    viewers: dict[dt.datetime, int],
    window: tuple[dt.datetime | None, dt.datetime | None],
    event: Event,
    marked: bool,
    max_points: int = MAX_POINTS,
) -> Timeline:
    """Counts per bucket over the window (a session's time, padded; an event's days), or over
    the activity when there is no window (the lobby). What falls outside is counted apart."""
    starts, ends = window
    if starts is not None and ends is not None and ends > starts:
        first, last = (starts - PADDING, ends + PADDING) if marked else (starts, ends)
    else:
        moments = [*post_times, *question_times, *viewers.keys()]
        if not moments:
            return Timeline()
        first, last = min(moments), max(moments)
    size = _bucket_size(last - first, max_points)
    # Buckets start on a round minute of their size, so labels read 14:00, 14:05, ...
    origin = first.replace(second=0, microsecond=0)
    origin -= dt.timedelta(minutes=(origin.hour * 60 + origin.minute) % size)
    step = dt.timedelta(minutes=size)
    count = int((last - origin) / step) + 1
    if last > origin and (last - origin) % step == dt.timedelta(0) and not marked:
        count -= 1  # an event's window ends at midnight: that bucket belongs to the next day

    def index(moment: dt.datetime) -> int | None:
        i = int((moment - origin) // step)
        return i if 0 <= i < count else None

    posts, questions, peak = [0] * count, [0] * count, [0] * count
    before = after = 0
    for times, counts in ((post_times, posts), (question_times, questions)):
        for moment in times:
            i = index(moment)
            if i is not None:
                counts[i] += 1
            elif moment < origin:
                before += 1
            else:
                after += 1
    for minute, n in viewers.items():
        i = index(minute)
        if i is not None:
            peak[i] = max(peak[i], n)
    several_days = (last - first) > dt.timedelta(hours=20)
    label_format = "%a %H:%M" if several_days else "%H:%M"
    labels = [(origin + i * step).astimezone(event.tz).strftime(label_format) for i in range(count)]
    marks = []
    if marked and starts is not None and ends is not None:
        marks = [
            {"index": index(starts), "label": "Session starts"},
            {"index": index(ends), "label": "Session ends"},
        ]
    return Timeline(
        start=origin.isoformat(),
        bucket_minutes=size,
        labels=labels,
        posts=posts,
        questions=questions,
        viewers=peak,
        marks=marks,
        before=before,
        after=after,
    )


def _days(
    post_times: list[dt.datetime],
    question_times: list[dt.datetime],
    viewers: dict[dt.datetime, int],
    event: Event,
    sessions: list[Session],
) -> list[Day]:
    days = []
    for n in range((event.ends_on - event.starts_on).days + 1):
        date = event.starts_on + dt.timedelta(days=n)
        midnight = dt.datetime.combine(date, dt.time(), tzinfo=event.tz)
        next_midnight = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), event.tz)

        posts = [t for t in post_times if midnight <= t < next_midnight]
        questions = [t for t in question_times if midnight <= t < next_midnight]
        watched = {m: v for m, v in viewers.items() if midnight <= m < next_midnight}
        # The day's programme, a little padded, and whatever was written around it.
        edges = [*posts, *questions, *watched]
        for session in sessions:
            if (
                session.starts_at
                and session.ends_at
                and midnight <= session.starts_at < next_midnight
            ):
                edges += [session.starts_at - PADDING, session.ends_at + PADDING]
        if edges:
            # (a minute past the last moment: a window's end is not in it)
            latest = max(edges) + dt.timedelta(minutes=1)
            window = (max(midnight, min(edges)), min(next_midnight, latest))
            timeline = _timeline(
                posts, questions, watched, window, event, marked=False, max_points=MAX_POINTS_A_DAY
            )
        else:
            timeline = Timeline()  # nothing scheduled, nothing written
        days.append(
            Day(
                date=date.isoformat(),
                label=f"{date:%A} {date.day} {date:%B}",
                posts=len(posts),
                questions=len(questions),
                timeline=timeline,
            )
        )
    return days


def _hashtags(session_ids: list[int]) -> list[dict[str, Any]]:
    rows = (
        Post.hashtags.through.objects.filter(
            post__session_id__in=session_ids,
            post__status=Post.Status.PUBLISHED,
            post__deleted_at=None,
        )
        .values("hashtag__name")
        .annotate(n=Count("id"))
        .order_by("-n", "hashtag__name")[:TOP]
    )
    return [{"tag": row["hashtag__name"], "posts": row["n"]} for row in rows]


def _people(session_ids: list[int]) -> list[dict[str, Any]]:
    """The people who posted and asked the most (named questions only), named as they chose."""
    posts = Counter(
        dict(
            Post.objects.filter(session_id__in=session_ids, deleted_at=None)
            .values_list("author_id")
            .annotate(n=Count("id"))
        )
    )
    asked = Counter(
        dict(
            Question.objects.filter(session_id__in=session_ids, anonymous=False)
            .values_list("author_id")
            .annotate(n=Count("id"))
        )
    )
    ranked = sorted(set(posts) | set(asked), key=lambda pk: (-(posts[pk] + asked[pk]), pk))[:TOP]
    users = get_user_model().objects.in_bulk(ranked)
    people = []
    for pk in ranked:
        user = users[pk]
        named = user.is_active and not user.anonymise_in_exports
        people.append(
            {
                "name": user.name if named else UNNAMED,
                "handle": user.username if named else None,
                "posts": posts[pk],
                "questions": asked[pk],
            }
        )
    return people


def _polls(polls: Any, peak_viewers: int) -> list[dict[str, Any]]:
    rows = []
    for poll in polls.annotate(answers=Count("responses")).order_by("opened_at", "id"):
        share = round(100 * poll.answers / peak_viewers) if peak_viewers else None
        rows.append(
            {
                "question": poll.question,
                "kind": poll.get_kind_display(),
                "status": poll.get_status_display(),
                "answers": poll.answers,
                "share_of_peak": min(share, 100) if share is not None else None,
            }
        )
    return rows


def _moderation(
    event: Event, session_ids: list[int], post_states: Counter[str], scope: str
) -> dict[str, Any]:
    reports = PostReport.objects.filter(post__session_id__in=session_ids)
    by_reason = Counter(reports.values_list("reason", flat=True))
    actions = ModerationAction.objects.filter(event=event)
    if scope == "session":
        actions = actions.filter(
            Q(session_id__in=session_ids) | Q(post__session_id__in=session_ids)
        )
    by_kind = Counter(actions.values_list("kind", flat=True))
    reasons = dict(Reason.choices)
    kinds = dict(ModerationAction.Kind.choices)
    return {
        "reports": sum(by_reason.values()),
        "reports_by_reason": [
            {"reason": str(reasons.get(reason, reason)), "count": n}
            for reason, n in by_reason.most_common()
        ],
        "decisions": [
            {"kind": str(kinds[kind]), "count": by_kind[kind]}
            for kind in DECISIONS
            if by_kind[kind]
        ],
        "held_now": post_states[Post.Status.HELD],
        "hidden": post_states[Post.Status.HIDDEN],
        "removed": post_states[Post.Status.REMOVED],
        "deleted_by_authors": post_states["deleted"],
        "crisis_alerts": QueueItem.objects.filter(
            post__session_id__in=session_ids, urgent=True
        ).count(),
    }


def _per_session(sessions: list[Session]) -> list[dict[str, Any]]:
    ids = [s.pk for s in sessions]
    posts = dict(
        Post.objects.filter(session_id__in=ids).values_list("session_id").annotate(n=Count("id"))
    )
    questions = dict(
        Question.objects.filter(session_id__in=ids)
        .values_list("session_id")
        .annotate(n=Count("id"))
    )
    # Every feed's viewers in one read: per topic, per minute, added up over processes.
    per_topic: dict[str, dict[dt.datetime, int]] = defaultdict(lambda: defaultdict(int))
    for topic, minute, peak in ViewerCount.objects.filter(
        topic__in=[s.topic for s in sessions]
    ).values_list("topic", "minute", "peak"):
        per_topic[topic][minute] += peak
    rows = []
    for session in sessions:
        rows.append(
            {
                "id": session.pk,
                "title": session.title,
                "starts_at": session.starts_at.isoformat() if session.starts_at else None,
                "posts": posts.get(session.pk, 0),
                "questions": questions.get(session.pk, 0),
                "peak_viewers": max(per_topic[session.topic].values(), default=0),
            }
        )
    return rows


CSV_HEADER = ["section", "item", "value"]


def as_rows(report: Dashboard) -> list[list[Any]]:
    """The report as one table of (section, item, value), for CSV."""
    rows: list[list[Any]] = [["totals", key, value] for key, value in report.totals.items()]
    timeline = report.timeline
    if timeline.start:
        start = dt.datetime.fromisoformat(timeline.start)
        for i in range(len(timeline.labels)):
            moment = (start + dt.timedelta(minutes=i * timeline.bucket_minutes)).isoformat()
            rows.append(["posts per bucket", moment, timeline.posts[i]])
            rows.append(["questions per bucket", moment, timeline.questions[i]])
            rows.append(["peak viewers per bucket", moment, timeline.viewers[i]])
    rows += [["hashtags", f"#{row['tag']}", row["posts"]] for row in report.hashtags]
    for person in report.people:
        who = person["handle"] or person["name"]
        rows.append(["most active: posts", who, person["posts"]])
        rows.append(["most active: questions", who, person["questions"]])
    rows += [["questions", key, value] for key, value in report.questions.items()]
    for poll in report.polls:
        rows.append(["poll answers", poll["question"], poll["answers"]])
    moderation = report.moderation
    for key in ("reports", "held_now", "hidden", "removed", "deleted_by_authors", "crisis_alerts"):
        rows.append(["moderation", key, moderation[key]])
    for reason in moderation["reports_by_reason"]:
        rows.append(["reports by reason", reason["reason"], reason["count"]])
    rows += [["decisions", d["kind"], d["count"]] for d in moderation["decisions"]]
    for session in report.sessions:
        rows.append(["session posts", session["title"], session["posts"]])
        rows.append(["session questions", session["title"], session["questions"]])
        rows.append(["session peak viewers", session["title"], session["peak_viewers"]])
    return rows
