"""The outbox as a read-your-writes wait reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

from domain.events import SyncEventStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["unapplied_events"]

UNAPPLIED = text(
    f"""
    SELECT count(*) FROM outbox_events AS event
    JOIN unnest(CAST(:lows AS bigint[]), CAST(:highs AS bigint[])) AS named(low, high)
      ON event.seq BETWEEN named.low AND named.high
    WHERE event.status <> '{SyncEventStatus.COMPLETED}'
    """  # statuses are the domain's constants; values are parameters
)


async def unapplied_events(session: AsyncSession, *, runs: Sequence[tuple[int, int]]) -> int:
    """How many events with a sequence number in one of the inclusive runs are not yet
    applied to the graph."""
    params = {"lows": [low for low, _ in runs], "highs": [high for _, high in runs]}
    return int(await session.scalar(UNAPPLIED, params) or 0)
