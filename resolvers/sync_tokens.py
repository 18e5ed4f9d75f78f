"""Sync tokens: which outbox events a mutation committed, for read-your-writes.

A token is "lg1." followed by dot-separated parts, each a sequence number ("17") or an
inclusive run of them ("17-42"), e.g. "lg1.17-42.50". A request presenting one waits, bounded,
until every outbox event in it is completed (applied to the graph).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from persistence.sql.reads.outbox import unapplied_events

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from persistence.sql.unit_of_work import CommittedEvents

__all__ = [
    "MAX_PARTS",
    "PREFIX",
    "SeqRange",
    "SyncWait",
    "parse_sync_token",
    "seq_ranges",
    "sync_token",
    "wait_until_applied",
]

PREFIX = "lg1."
MAX_PARTS = 1000
MAX_SEQ = 2**63 - 1  # PostgreSQL bigint
POLL_SECONDS = 0.025
PART = re.compile(r"([0-9]{1,19})(?:-([0-9]{1,19}))?")
SeqRange = tuple[int, int]


def seq_ranges(seqs: Iterable[int]) -> list[SeqRange]:
    """Sorted, merged runs of consecutive sequence numbers (inclusive bounds).

    Beyond MAX_PARTS runs, one run spanning them all: waiting on a few unrelated events too
    is harmless, refusing a token we issued is not.
    """
    runs: list[SeqRange] = []
    for seq in sorted(set(seqs)):
        if runs and seq == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], seq)
        else:
            runs.append((seq, seq))
    if len(runs) > MAX_PARTS:
        return [(runs[0][0], runs[-1][1])]
    return runs


def _part(run: SeqRange) -> str:
    low, high = run
    return str(low) if low == high else f"{low}-{high}"


def sync_token(committed: CommittedEvents) -> str | None:
    """The token naming a commit's outbox events; None when it wrote none."""
    if not committed.seqs:
        return None
    return PREFIX + ".".join(_part(run) for run in seq_ranges(committed.seqs))


def _parse_part(part: str) -> SeqRange | None:
    match = PART.fullmatch(part)
    if match is None:
        return None
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    return (low, high) if 1 <= low <= high <= MAX_SEQ else None


def _merged(runs: list[SeqRange]) -> list[SeqRange]:
    merged: list[SeqRange] = []
    for low, high in sorted(runs):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def parse_sync_token(token: str) -> list[SeqRange] | None:
    """The runs of event sequence numbers a token names; None when it is not one of ours."""
    token = token.strip()
    if not token.startswith(PREFIX):
        return None
    parts = token.removeprefix(PREFIX).split(".")
    if len(parts) > MAX_PARTS:
        return None
    runs = [_parse_part(part) for part in parts]
    if any(run is None for run in runs):
        return None
    return _merged([run for run in runs if run is not None])


@dataclass(frozen=True)
class SyncWait:
    """How a wait for a token's events ended: applied or not, after how long, how many left."""

    applied: bool
    waited_ms: int
    pending: int


async def _unapplied(sessions: async_sessionmaker[AsyncSession], runs: list[SeqRange]) -> int:
    async with sessions() as session:
        return await unapplied_events(session, runs=runs)


async def wait_until_applied(
    sessions: async_sessionmaker[AsyncSession],
    runs: list[SeqRange],
    *,
    within: float,
    interval: float = POLL_SECONDS,
) -> SyncWait:
    """Poll the outbox until the named events are all completed, or `within` seconds pass."""
    started = time.monotonic()
    while True:
        pending = await _unapplied(sessions, runs)
        waited = time.monotonic() - started
        if pending == 0 or waited >= within:
            return SyncWait(applied=pending == 0, waited_ms=round(waited * 1000), pending=pending)
        await asyncio.sleep(min(interval, within - waited))
