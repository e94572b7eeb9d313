"""What accounts tell the domains above them, which they cannot import. Sent inside the write's
transaction."""

from __future__ import annotations

from django.dispatch import Signal

# Someone started following someone: `follower`, `followee` (notifications/apps.py).
followed = Signal()
