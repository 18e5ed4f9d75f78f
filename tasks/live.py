"""Tell API processes what the graph just applied, so their subscriptions can push.

Published after the batch's graph and PostgreSQL transactions committed: a subscriber that
reads on receipt already sees the new state. Losing a notice (Redis down) only delays a push
until the next one; it never fails the batch.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING

import redis

from domain.live import CHANNEL, notice_of
from tasks.broker import redis_client
from tasks.resources import resources

if TYPE_CHECKING:
    from persistence.sync.apply import AppliedBatch

__all__ = ["announce"]

logger = logging.getLogger(__name__)


@cache
def _client() -> redis.Redis:
    return redis_client(resources().settings.redis_url)


def announce(batch: AppliedBatch) -> None:
    """Publish one notice for a batch that applied events (none for an empty batch)."""
    if not batch.events:
        return
    try:
        _client().publish(CHANNEL, notice_of(batch.events, batch.applied).encode())
    except redis.RedisError as error:
        logger.warning("could not announce an applied batch: %s", error)
