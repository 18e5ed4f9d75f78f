"""What the workers run on a schedule, and the actor a scheduler's tick sends (queue
"maintenance"). The scheduler itself is tasks/scheduler.py; the intervals come from settings."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

import dramatiq

import tasks.broker  # noqa: F401  # the broker must be set before an actor is declared
from config.settings import get_settings
from tasks.audit import AUDIT_PURGE_INTERVAL_SECONDS, purge_audit_log_once
from tasks.mail import relay_mail_once
from tasks.reconcile import fail_abandoned, reconcile_if_due
from tasks.relay import relay_once
from tasks.scheduler import PeriodicJob
from tasks.study_sessions import close_idle_sessions_once

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["ABANDONED_CHECK_SECONDS", "periodic_jobs", "run_periodic", "send_periodic"]

logger = logging.getLogger(__name__)
ABANDONED_CHECK_SECONDS = 60.0
TICK_MIN_AGE_LIMIT_SECONDS = 60.0


def periodic_jobs(settings: Settings) -> list[PeriodicJob]:
    """Everything the workers run on a schedule (one worker of all per tick).

    Add a job here; an interval of 0 turns it off.
    """
    return [
        PeriodicJob(
            "relay",
            settings.relay_interval_seconds,
            partial(relay_once, min_age_seconds=settings.relay_min_age_seconds),
        ),
        PeriodicJob("mail-relay", settings.relay_interval_seconds, relay_mail_once),
        PeriodicJob(
            "close-idle-sessions",
            settings.study_session_idle_seconds / 4,
            partial(close_idle_sessions_once, idle_seconds=settings.study_session_idle_seconds),
        ),
        PeriodicJob(
            "abandoned-reconciliations",
            ABANDONED_CHECK_SECONDS,
            partial(fail_abandoned, settings.reconcile_stale_seconds),
        ),
        PeriodicJob(
            "purge-audit-log",
            AUDIT_PURGE_INTERVAL_SECONDS if settings.audit_retention_days else 0,
            partial(purge_audit_log_once, retention_days=settings.audit_retention_days),
        ),
        # Not at start: starting a worker never sets off a full run at once.
        PeriodicJob(
            "reconcile",
            settings.reconcile_interval_seconds,
            partial(reconcile_if_due, settings.reconcile_interval_seconds),
            at_start=False,
        ),
    ]


# Behind the sync's messages when both wait for a worker thread (lower numbers go first).
TICK_PRIORITY = 10


@dramatiq.actor(queue_name="maintenance", max_retries=0, priority=TICK_PRIORITY)
def run_periodic(name: str) -> None:
    """One tick of the periodic job `name`; a failure is logged and the next tick retries."""
    jobs = {job.name: job for job in periodic_jobs(get_settings())}
    job = jobs.get(name)
    if job is None:
        logger.warning("no periodic job named %s", name)
        return
    try:
        job.run()
    except Exception:
        logger.warning("scheduled %s failed; the next tick retries", name, exc_info=True)


def send_periodic(job: PeriodicJob) -> None:
    """A tick: the job's message. Busy workers may take a while to get to it, but one that
    waited longer than three intervals (at least a minute) is dropped unrun (max_age): a later
    tick does the same work, so stalled workers never face a pile of them."""
    max_age_seconds = max(TICK_MIN_AGE_LIMIT_SECONDS, 3 * job.interval_seconds)
    run_periodic.send_with_options(args=(job.name,), max_age=int(max_age_seconds * 1000))
