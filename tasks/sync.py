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
import time
import uuid
from functools import partial
from typing import TYPE_CHECKING

import dramatiq
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired
from sqlalchemy.exc import OperationalError

from persistence.sync.apply import MAX_ATTEMPTS, AppliedBatch, apply_events, record_failure
from tasks.broker import broker
from tasks.live import announce
from tasks.metrics import observe_batch
from tasks.resources import CloseResources, resources
from tasks.wakeup import ClientClaims, WakeupSender, begin_drain, send_wakeup

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "MAX_ATTEMPTS",
    "MAX_BACKOFF_SECONDS",
    "SyncFailedError",
    "apply_outbox_events",
    "is_outage",
    "waiting_delay_ms",
    "wake_workers",
]

logger = logging.getLogger(__name__)
MIN_BACKOFF_MS = 500
MAX_BACKOFF_MS = 30_000
# A FAILED event untouched for longer than this has lost its pending retry (its worker died).
MAX_BACKOFF_SECONDS = MAX_BACKOFF_MS / 1000
HELD_RETRY_MS = 1000  # held events are usually completed by their holder within this
RESEND_BATCH = 500
DRAIN_SECONDS = 10.0  # a message drains the outbox this long, then a new one carries on
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
    """Apply the events (gathering others, and draining the outbox while batches come back
    full); no open event is left waiting for the relay.

    A batch that failed for another reason than an outage is retried with this message's own
    events only, split until a bad event is alone, so it never costs good events a try; the
    events it had gathered from other messages are sent again at once. Own events another
    batch held are sent again shortly, in case that batch fails.
    """
    ids = [uuid.UUID(value) for value in event_ids]
    claimed: list[uuid.UUID] = []
    gather = resources().settings.sync_gather_limit
    _begin_drain()
    try:
        batch = _apply(ids, gather=gather, claimed=claimed)
    except Exception as error:
        if is_outage(error):
            _fail(ids, error, outage=True)
            return
        logger.info("sync batch failed, applying its own events apart: %s", error)
        own = set(ids)
        _send_again([event_id for event_id in claimed if event_id not in own])
        failed, last_error = _apply_apart(ids)
        if failed and last_error is not None:
            _fail(failed, last_error, outage=is_outage(last_error))
        return
    _send_again(batch.held, delay_ms=HELD_RETRY_MS)
    _send_again(batch.waiting, delay_ms=waiting_delay_ms(batch.waiting_attempts))
    _drain(batch, gather)


def _drain(batch: AppliedBatch, gather: int) -> None:
    """While batches come back full (they gathered all they asked for), the outbox holds more
    unsent events: apply the next batch at once, in this thread, rather than wait for a
    message (whose thread would find them done). Each full batch has also asked for a wake-up
    as soon as it claimed (sent from another thread, unless one was pending), so idle threads
    join the drain. After
    DRAIN_SECONDS a wake-up carries the drain on instead, so that one message never runs for
    long.

    A batch that fails here gathered only: its events are sent again at once (their messages
    then apply them apart, as any message's own), or, in an outage, left for the relay.
    """
    deadline = time.monotonic() + DRAIN_SECONDS
    while batch.gathered >= gather:
        if time.monotonic() > deadline:
            _wake_again()
            return
        claimed: list[uuid.UUID] = []
        try:
            batch = _apply([], gather=gather, claimed=claimed)
        except Exception as error:
            logger.info("sync drain batch failed: %s", error)
            if not is_outage(error):
                _send_again(claimed)
            return
        _send_again(batch.waiting, delay_ms=waiting_delay_ms(batch.waiting_attempts))


def wake_workers(event_ids: Sequence[uuid.UUID]) -> bool:
    """Send the events as a wake-up unless one is pending (tasks/wakeup.py), which will gather
    them; True if this call sent it. Raises if Redis refuses."""
    message = [str(event_id) for event_id in event_ids]
    return send_wakeup(ClientClaims(broker.client), partial(apply_outbox_events.send, message))


def _begin_drain() -> None:
    """This message gathers: commits from now on must send a wake-up of their own."""
    try:
        begin_drain(broker.client)
    except Exception as error:  # the key expires; until then commits rely on this drain
        logger.warning("could not clear the pending wake-up (%s)", error)


def _wake_again() -> None:
    try:
        wake_workers([])
    except Exception as error:  # the relay re-sends what stays open
        logger.warning("could not send a wake-up to go on draining (%s); the relay will", error)


# A full batch's wake-up, sent while the batch goes on (its transaction never waits on Redis).
_early_wakeups = WakeupSender(_wake_again)


def waiting_delay_ms(attempts: int) -> int:
    """Events waiting for a node: 1 s after the first try, doubling, at most MAX_BACKOFF_MS."""
    return int(min(HELD_RETRY_MS * 2 ** max(attempts - 1, 0), MAX_BACKOFF_MS))


def _apply(
    ids: list[uuid.UUID], *, gather: int, claimed: list[uuid.UUID] | None = None
) -> AppliedBatch:
    """One batch; one whose gather comes back full wakes another thread as soon as it has
    claimed (tasks/wakeup.py), so the drain widens while this batch is applied. The wake-up is
    sent from a thread of its own: the batch's locks never wait on Redis."""
    opened = resources()
    started = time.perf_counter()
    batch = apply_events(
        opened.sessions,
        opened.driver,
        database=opened.settings.neo4j_database,
        registry=opened.registry,
        event_ids=ids,
        gather=gather,
        claimed=claimed,
        on_full=_early_wakeups.request,
    )
    announce(batch)  # after both commits: what subscribers read on receipt is applied
    seconds = time.perf_counter() - started
    observe_batch(batch, seconds)
    logger.debug(
        "sync batch applied",
        extra={
            "events": batch.events,
            "own": len(ids),
            "gathered": batch.gathered,
            "duration_ms": round(seconds * 1000, 2),
            "steps_ms": batch.steps,
        },
    )
    return batch


def _apply_apart(ids: list[uuid.UUID]) -> tuple[list[uuid.UUID], Exception | None]:
    """Apply without gathering, halving a refused batch until the bad events are alone.

    Returns the events that failed and the last error (an outage stops the splitting).
    """
    try:
        _apply(ids, gather=0)
    except Exception as error:
        if is_outage(error) or len(ids) == 1:
            return ids, error
    else:
        return [], None
    middle = len(ids) // 2
    first, first_error = _apply_apart(ids[:middle])
    second, second_error = _apply_apart(ids[middle:])
    return first + second, second_error or first_error


def _send_again(ids: list[uuid.UUID], *, delay_ms: int | None = None, wake: bool = False) -> None:
    """A new message for open events this message cannot finish (with `wake`, one without
    events, which gathers); the relay covers a failure."""
    chunks = [ids[start : start + RESEND_BATCH] for start in range(0, len(ids), RESEND_BATCH)]
    for chunk in chunks or ([[]] if wake else []):
        batch = [str(event_id) for event_id in chunk]
        try:
            apply_outbox_events.send_with_options(args=(batch,), delay=delay_ms)
        except Exception as error:  # Redis refused: the relay re-sends them after its delay
            logger.warning("could not send %d events again (%s); the relay will", len(batch), error)
            return


def _fail(ids: list[uuid.UUID], error: Exception, *, outage: bool) -> None:
    """Record the failure (a try counts unless a store was down); raise to be retried."""
    reason = f"{type(error).__name__}: {error}"
    dead = record_failure(
        resources().sessions, ids, error=reason, max_attempts=MAX_ATTEMPTS, counted=not outage
    )
    logger.warning("sync batch of %d failed (%d now dead): %s", len(ids), dead, reason)
    if dead < len(ids):
        raise SyncFailedError(reason) from error
