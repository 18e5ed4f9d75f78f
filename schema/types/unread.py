"""The mark of a related value not read yet, where None already means "read: there is none"."""

from __future__ import annotations

__all__ = ["UNREAD", "Unread"]


class Unread:
    """Nothing read yet (None would say: read, and there is none)."""


UNREAD = Unread()
