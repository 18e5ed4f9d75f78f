"""The reconciliation actor (queue "maintenance"): one run, started by the API or the schedule."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import dramatiq
from sqlalchemy import func, select

import tasks.broker  # noqa: F401  # the broker must be set before an actor is declared
from domain.reconciliation import ReconciliationStatus
from persistence.reconcile.engine import reconcile as reconcile_stores
from persistence.reconcile.runs import fail_abandoned_runs, start_run
from persistence.sql.models import ReconciliationRun
from tasks.resources import resources

__all__ = [
    "TIME_LIMIT_MS",
    "fail_abandoned",
    "reconcile",
    "reconcile_if_due",
    "start_reconciliation",
]

logger = logging.getLogger(__name__)
TIME_LIMIT_MS = 6 * 3600 * 1000  # a full run over a large graph takes minutes, not hours


def _still_running(run_id: uuid.UUID) -> bool:
    with resources().sessions() as session:
        status = session.scalar(
            select(ReconciliationRun.status).where(ReconciliationRun.id == run_id)
        )
    return status == ReconciliationStatus.RUNNING


@dramatiq.actor(queue_name="maintenance", max_retries=0, time_limit=TIME_LIMIT_MS)
def reconcile(
    run_id: str | None = None, entity_types: list[str] | None = None, repair: bool = True
) -> None:
    """Run one reconciliation; a run record that is already finished is not run again."""
    opened = resources()
    known = uuid.UUID(run_id) if run_id else None
    if known is not None and not _still_running(known):
        return
    summary = reconcile_stores(
        opened.sessions,
        opened.driver,
        settings=opened.settings,
        registry=opened.registry,
        entity_types=entity_types,
        repair=repair,
        run_id=known,
    )
    totals = summary.totals
    logger.info(
        "reconciliation %s %s: checked %d, missing %d, orphaned %d, stale %d, conflicts %d, "
        "repaired %d",
        summary.run_id,
        summary.status,
        totals.checked,
        totals.missing,
        totals.orphaned,
        totals.stale,
        totals.conflicts,
        totals.repaired,
    )


def fail_abandoned(stale_seconds: float) -> int:
    """The periodic job: runs whose worker died are marked failed instead of running forever."""
    failed = fail_abandoned_runs(resources().sessions, stale_seconds=stale_seconds)
    if failed:
        logger.warning("marked %d abandoned reconciliation runs failed", failed)
    return failed


def start_reconciliation(run_id: uuid.UUID, entity_types: list[str] | None, repair: bool) -> None:
    """Enqueue the run whose record was just created (raises if the broker is unreachable)."""
    reconcile.send(str(run_id), entity_types, repair)


def reconcile_if_due(interval_seconds: float) -> bool:
    """The periodic job: a full run with repair, unless one started within the interval."""
    with resources().sessions.begin() as session:
        latest = session.scalar(select(func.max(ReconciliationRun.started_at)))
        if latest is not None and datetime.now(UTC) - latest < timedelta(seconds=interval_seconds):
            return False
        run_id = start_run(session, entity_types=None, repair=True)
    start_reconciliation(run_id, None, True)
    return True
