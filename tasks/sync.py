"""The sync actor: applies outbox events to Neo4j, retried with backoff, then dead.

Two kinds of failure are told apart:
- a store is unreachable (Neo4j or PostgreSQL down): the events stay FAILED without using up
  their tries, Dramatiq retries with backoff, and once its retries are spent the relay re-sends
  FAILED events that nobody touched for longer than MAX_BACKOFF_SECONDS. An outage of any
  length therefore ends with the graph converging, never with dead events.
- anything else (a bad row, a Cypher error): each failed try counts; after MAX_ATTEMPTS the
  events are DEAD, for an operator to look at and retry.
"""

from __future__ import annotations

import logging
import uuid

import dramatiq
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired
from sqlalchemy.exc import OperationalError

from persistence.sync.apply import apply_events, record_failure
from tasks.broker import broker
from tasks.live import announce
from tasks.resources import CloseResources, resources

__all__ = [
    "MAX_ATTEMPTS",
    "MAX_BACKOFF_SECONDS",
    "SyncFailedError",
    "apply_outbox_events",
    "is_outage",
]

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
MIN_BACKOFF_MS = 500
MAX_BACKOFF_MS = 30_000
# A FAILED event untouched for longer than this has lost its pending retry (its worker died).
MAX_BACKOFF_SECONDS = MAX_BACKOFF_MS / 1000
broker.add_middleware(CloseResources())


class SyncFailedError(RuntimeError):
    """The graph refused a batch; Dramatiq's retry middleware will try it again."""


def is_outage(error: BaseException) -> bool:
    """True when a store could not be reached (or aborted a transaction to be retried)."""
    return isinstance(
        error, ServiceUnavailable | SessionExpired | DatabaseUnavailable | OperationalError
    )


@dramatiq.actor(
    queue_name="sync",
    max_retries=MAX_ATTEMPTS - 1,
    min_backoff=MIN_BACKOFF_MS,
    max_backoff=MAX_BACKOFF_MS,
)
def apply_outbox_events(event_ids: list[str]) -> None:
    ids = [uuid.UUID(value) for value in event_ids]
    gather = resources().settings.sync_gather_limit
    try:
        _apply(ids, gather=gather)
    except Exception as error:
        if is_outage(error) or not gather:
            _fail(ids, error, outage=is_outage(error))
            return
        # A bad event among those gathered must not cost this message's own events a try.
        logger.info("sync batch with gathered events failed, retrying its own: %s", error)
        try:
            _apply(ids, gather=0)
        except Exception as own_error:
            _fail(ids, own_error, outage=is_outage(own_error))


def _apply(ids: list[uuid.UUID], *, gather: int) -> None:
    opened = resources()
    batch = apply_events(
        opened.sessions,
        opened.driver,
        database=opened.settings.neo4j_database,
        registry=opened.registry,
        event_ids=ids,
        gather=gather,
    )
    announce(batch)  # after both commits: what subscribers read on receipt is applied


def _fail(ids: list[uuid.UUID], error: Exception, *, outage: bool) -> None:
    """Record the failure (a try counts unless a store was down); raise to be retried."""
    reason = f"{type(error).__name__}: {error}"
    dead = record_failure(
        resources().sessions, ids, error=reason, max_attempts=MAX_ATTEMPTS, counted=not outage
    )
    logger.warning("sync batch of %d failed (%d now dead): %s", len(ids), dead, reason)
    if dead < len(ids):
        raise SyncFailedError(reason) from error
