"""A reconciliation run whose worker died does not stay `running` forever."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select, update

from persistence.reconcile.engine import reconcile
from persistence.reconcile.runs import fail_abandoned_runs, start_run
from persistence.sql.database import sync_session_factory
from persistence.sql.models import ReconciliationRun

if TYPE_CHECKING:
    import uuid

    from neo4j import Driver

    from config.settings import Settings


def _started(engine: Engine, *, silent_for: timedelta) -> uuid.UUID:
    """A run record in status running whose last heartbeat was `silent_for` ago."""
    with sync_session_factory(engine).begin() as session:
        run_id = start_run(session, entity_types=["concept"], repair=True)
        session.execute(
            update(ReconciliationRun)
            .where(ReconciliationRun.id == run_id)
            .values(heartbeat_at=func.now() - silent_for)
        )
    return run_id


def _run(engine: Engine, run_id: uuid.UUID) -> ReconciliationRun:
    with sync_session_factory(engine)() as session:
        found = session.get(ReconciliationRun, run_id)
        assert found is not None
        return found


def test_a_run_whose_worker_stopped_is_marked_failed_and_a_live_one_is_not(
    engine: Engine,
) -> None:
    # given a run silent for an hour (its worker was killed) and one that just reported
    abandoned = _started(engine, silent_for=timedelta(hours=1))
    alive = _started(engine, silent_for=timedelta(seconds=1))
    # when the periodic check runs with a ten-minute limit
    failed = fail_abandoned_runs(sync_session_factory(engine), stale_seconds=600)
    # then only the silent run is failed, finished, and says why
    assert failed == 1
    lost = _run(engine, abandoned)
    assert lost.status == "failed"
    assert lost.finished_at is not None
    assert any("worker stopped" in error for error in lost.errors)
    assert _run(engine, alive).status == "running"


def test_a_run_picked_up_by_a_worker_beats_so_it_is_not_taken_for_abandoned(
    engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given a run record created an hour before a worker picked it up (a long queue)
    run_id = _started(engine, silent_for=timedelta(hours=1))
    before = _run(engine, run_id).heartbeat_at
    # when the worker runs it
    summary = reconcile(
        sync_session_factory(engine),
        graph,
        settings=settings,
        entity_types=["concept"],
        run_id=run_id,
    )
    # then its heartbeat moved with it and the check leaves the finished run alone
    assert summary.status == "completed"
    assert _run(engine, run_id).heartbeat_at > before
    assert fail_abandoned_runs(sync_session_factory(engine), stale_seconds=600) == 0
    assert _run(engine, run_id).status == "completed"
    with sync_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(ReconciliationRun)) == 1
