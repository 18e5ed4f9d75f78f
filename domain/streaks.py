"""Learning streaks: consecutive active days (UTC) ending today or yesterday."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["streak_days"]

ONE_DAY = timedelta(days=1)


def streak_days(active_days: Iterable[date], today: date) -> int:
    """Length of the run of active days that ends today, or yesterday if today is still open."""
    active = set(active_days)
    day = today if today in active else today - ONE_DAY
    count = 0
    while day in active:
        count += 1
        day -= ONE_DAY
    return count
