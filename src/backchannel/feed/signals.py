"""What the feed tells the domains above it, which it cannot import (they read posts). Sent
inside the write's transaction, so what a receiver writes commits or rolls back with it."""

from __future__ import annotations

from django.dispatch import Signal

# A post went out to readers when written (not held): `post`, and `mentioned`, the people it
# names. Notifications tell them and the author it replies to (notifications/apps.py).
post_published = Signal()
