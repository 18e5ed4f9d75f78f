"""The reconciliation_runs record: created at the start, updated as a run goes, then closed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, insert, update
from sqlalchemy.orm import Session, sessionmaker

from persistence.reconcile.tally import Tally
from persistence.sql.models import ReconciliationRun

__all__ = ["finish_run", "save_progress", "start_run"]


def start_run(session: Session, *, entity_types: Sequence[str] | None, repair: bool) -> uuid.UUID:
    """A new run in status running (in the caller's transaction)."""
    run_id = uuid.uuid4()
    values = {"id": run_id, "status": "running", "repair": repair, "errors": []}
    types = list(entity_types) if entity_types is not None else None
    session.execute(insert(ReconciliationRun).values(**values, entity_types=types))
    return run_id


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
    """Counts so far, committed at once so operators watch them grow."""
    with sessions.begin() as session:
        session.execute(
            update(ReconciliationRun).where(ReconciliationRun.id == run_id).values(**_counts(tally))
        )


def finish_run(
    sessions: sessionmaker[Session], run_id: uuid.UUID, tally: Tally, *, status: str
) -> None:
    with sessions.begin() as session:
        session.execute(
            update(ReconciliationRun)
            .where(ReconciliationRun.id == run_id)
            .values(**_counts(tally), status=status, finished_at=func.now())
        )
