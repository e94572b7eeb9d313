"""How a post meets moderation on its way in. Moderation sits above the feed (it reads and acts
on posts), so the feed cannot import it: moderation registers its answers here when the app
starts (moderation/apps.py), and create_post and delete_post ask through `moderator()`. Without
a registered moderator posting fails loudly rather than going out unscreened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from backchannel.accounts.models import User
from backchannel.care.findings import Finding
from backchannel.events.models import Session

from .models import Post


@dataclass
class Screening:
    """What moderation decided about a new post: published or held, and what facilitators
    should see in the queue."""

    status: str = Post.Status.PUBLISHED
    # (signal, detail) pairs for the moderation queue; empty: nobody needs to look.
    signals: list[tuple[str, str]] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.status == Post.Status.HELD


class Moderator(Protocol):
    def check_author(self, actor: User, session: Session) -> None:
        """Before anything else: refuse a restricted author, enforce slow mode (raises)."""

    def screen_text(
        self,
        actor: User,
        session: Session,
        text: str,
        findings: Sequence[Finding],
        *,
        held_for: str = "",
    ) -> Screening:
        """After the caution check: word filters, pre-moderation, what the queue should show.
        `held_for`: hold it for that reason whatever else is found."""

    def post_written(self, post: Post, screening: Screening) -> None:
        """Inside the post's transaction: queue it for facilitators if the screening says so."""

    def post_deleted(self, post: Post, actor: User) -> None:
        """Inside the deletion's transaction: nothing is left for facilitators to decide."""


_moderator: Moderator | None = None


def register(moderator: Moderator) -> None:
    global _moderator
    _moderator = moderator


def moderator() -> Moderator:
    if _moderator is None:
        raise RuntimeError("No moderator is registered: is backchannel.moderation installed?")
    return _moderator
