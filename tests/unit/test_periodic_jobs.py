"""The periodic jobs take their intervals from the settings; an interval of 0 turns one off."""

from __future__ import annotations

from config.settings import get_settings
from tasks.audit import AUDIT_PURGE_INTERVAL_SECONDS
from tasks.periodic import ABANDONED_CHECK_SECONDS, periodic_jobs
from tasks.scheduler import PeriodicJob, Scheduler


def _intervals(**changes: object) -> dict[str, float]:
    settings = get_settings().model_copy(update=changes)
    return {job.name: job.interval_seconds for job in periodic_jobs(settings)}


def test_each_job_runs_at_the_interval_its_settings_give() -> None:
    intervals = _intervals(
        relay_interval_seconds=5.0,
        reconcile_interval_seconds=3600.0,
        study_session_idle_seconds=1800,
        audit_retention_days=365,
    )
    assert intervals == {
        "relay": 5.0,
        "mail-relay": 5.0,
        "close-idle-sessions": 450.0,
        "abandoned-reconciliations": ABANDONED_CHECK_SECONDS,
        "purge-audit-log": AUDIT_PURGE_INTERVAL_SECONDS,
        "reconcile": 3600.0,
    }


def test_the_reconciliation_waits_an_interval_and_the_rest_tick_at_start() -> None:
    jobs = periodic_jobs(get_settings().model_copy(update={"reconcile_interval_seconds": 60.0}))
    assert [job.name for job in jobs if not job.at_start] == ["reconcile"]


def test_jobs_with_an_interval_of_zero_are_not_scheduled() -> None:
    # given no scheduled reconciliation and an audit log kept forever
    intervals = _intervals(reconcile_interval_seconds=0, audit_retention_days=0)
    jobs = [PeriodicJob(name, seconds, lambda: None) for name, seconds in intervals.items()]
    # when a scheduler takes them
    scheduler = Scheduler(jobs, leader=None, send=lambda job: None)  # type: ignore[arg-type]
    # then it leaves those two out
    assert {job.name for job in scheduler.jobs} == {
        "relay",
        "mail-relay",
        "close-idle-sessions",
        "abandoned-reconciliations",
    }
