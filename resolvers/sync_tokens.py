"""Sync tokens: which outbox events a mutation committed, for read-your-writes."""

from __future__ import annotations

from persistence.sql.unit_of_work import CommittedEvents

__all__ = ["PREFIX", "parse_sync_token", "sync_token"]

PREFIX = "lg1."


def sync_token(committed: CommittedEvents) -> str | None:
    if not committed.seqs:
        return None
    return PREFIX + ".".join(str(seq) for seq in sorted(committed.seqs))


def parse_sync_token(token: str) -> list[int] | None:
    """The event sequence numbers in a token; None when it is not one of ours."""
    if not token.startswith(PREFIX):
        return None
    try:
        seqs = [int(part) for part in token.removeprefix(PREFIX).split(".")]
    except ValueError:
        return None
    return seqs if seqs and len(seqs) <= 1000 and min(seqs) > 0 else None
