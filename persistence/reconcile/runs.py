"""The reconciliation_runs record: created at the start, updated as a run goes, then closed."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Text, cast, func, insert, literal, update

from domain.reconciliation import ReconciliationStatus
from persistence.sql.models import ReconciliationRun

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session, sessionmaker

    from persistence.reconcile.tally import Tally

__all__ = [
    "fail_abandoned_runs",
    "finish_run",
    "save_progress",
    "start_run",
    "touch_run",
    "unsent_run",
]


def start_run(session: Session, *, entity_types: Sequence[str] | None, repair: bool) -> uuid.UUID:
    """A new run in status running (in the caller's transaction)."""
    run_id = uuid.uuid4()
    values = {"id": run_id, "status": ReconciliationStatus.RUNNING, "repair": repair, "errors": []}
    types = list(entity_types) if entity_types is not None else None
    session.execute(insert(ReconciliationRun).values(**values, entity_types=types))
    return run_id


def unsent_run(session: Session, *, run_id: uuid.UUID, reason: str) -> None:
    """The run failed before any worker took it (in the caller's transaction)."""
    session.execute(
        update(ReconciliationRun)
        .where(ReconciliationRun.id == run_id)
        .values(status=ReconciliationStatus.FAILED, finished_at=func.now(), errors=[reason])
    )


def _counts(tally: Tally) -> dict[str, object]:
    total = tally.total()
    return {
        "checked": total.checked,
        "missing_in_graph": total.missing,
        "orphaned_in_graph": total.orphaned,
        "stale": total.stale,
        "repaired": total.repaired,
        "conflicts": total.conflicts,
        "errors": list(tally.errors),
    }


def save_progress(sessions: sessionmaker[Session], run_id: uuid.UUID, tally: Tally) -> None:
    """Counts so far and a heartbeat, committed at once so operators watch them grow."""
    with sessions.begin() as session:
        session.execute(
            update(ReconciliationRun)
            .where(ReconciliationRun.id == run_id)
            .values(**_counts(tally), heartbeat_at=func.now())
        )


def touch_run(sessions: sessionmaker[Session], run_id: uuid.UUID) -> None:
    """The run's worker is alive (called when it picks the run up)."""
    with sessions.begin() as session:
        session.execute(
            update(ReconciliationRun)
            .where(ReconciliationRun.id == run_id)
            .values(heartbeat_at=func.now())
        )


def fail_abandoned_runs(sessions: sessionmaker[Session], *, stale_seconds: float) -> int:
    """Mark failed every running run whose heartbeat is older than `stale_seconds`: its worker
    died (killed, or its machine lost) and it would otherwise stay running forever. Returns
    how many. A run saves progress every batch, so a live one never looks abandoned."""
    stale = func.now() - timedelta(seconds=stale_seconds)
    message = f"abandoned: no progress for {stale_seconds:.0f}s, its worker stopped"
    with sessions.begin() as session:
        failed = session.execute(
            update(ReconciliationRun)
            .where(
                ReconciliationRun.status == ReconciliationStatus.RUNNING,
                ReconciliationRun.heartbeat_at < stale,
            )
            .values(
                status=ReconciliationStatus.FAILED,
                finished_at=func.now(),
                errors=ReconciliationRun.errors.op("||")(
                    func.jsonb_build_array(cast(literal(message), Text))
                ),
            )
            .returning(ReconciliationRun.id)
        )
        return len(failed.all())


def finish_run(
    sessions: sessionmaker[Session],
    run_id: uuid.UUID,
    tally: Tally,
    *,
    status: ReconciliationStatus,
) -> None:
    with sessions.begin() as session:
        session.execute(
            update(ReconciliationRun)
            .where(ReconciliationRun.id == run_id)
            .values(**_counts(tally), status=status, finished_at=func.now())
        )
