"""What the feed tells the domains above it, which it cannot import (they read posts). Sent
inside the write's transaction, so what a receiver writes commits or rolls back with it."""

from __future__ import annotations

from django.dispatch import Signal

# A post went out to readers when written (not held): `post`, and `mentioned`, the people it
# names. Notifications tell them and the author it replies to (notifications/apps.py);
# federation sends it to other servers (federation/apps.py).
post_published = Signal()

# A held or hidden post was put in the feed by a facilitator (approved, restored): `post`.
post_shown = Signal()

# A post left the feed: deleted by its author, hidden or removed by a facilitator: `post`.
# Federation asks other servers to drop their copies.
post_withdrawn = Signal()

# Someone's reaction to a post changed: `post`, `user`, `kind`, `on`.
reacted = Signal()
