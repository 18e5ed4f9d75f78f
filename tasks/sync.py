"""The sync actor: applies outbox events to Neo4j, retried with backoff, then dead."""

from __future__ import annotations

import logging
import uuid

import dramatiq

from persistence.sync.apply import apply_events, record_failure
from tasks.broker import broker
from tasks.resources import CloseResources, resources

__all__ = ["MAX_ATTEMPTS", "apply_outbox_events"]

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
broker.add_middleware(CloseResources())


class SyncFailedError(RuntimeError):
    """The graph refused a batch; Dramatiq's retry middleware will try it again."""


@dramatiq.actor(
    queue_name="sync", max_retries=MAX_ATTEMPTS - 1, min_backoff=500, max_backoff=30_000
)
def apply_outbox_events(event_ids: list[str]) -> None:
    opened = resources()
    ids = [uuid.UUID(value) for value in event_ids]
    try:
        apply_events(
            opened.sessions,
            opened.driver,
            database=opened.settings.neo4j_database,
            registry=opened.registry,
            event_ids=ids,
        )
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        dead = record_failure(opened.sessions, ids, error=reason, max_attempts=MAX_ATTEMPTS)
        logger.warning("sync batch of %d failed (%d now dead): %s", len(ids), dead, reason)
        if dead < len(ids):
            raise SyncFailedError(reason) from error
