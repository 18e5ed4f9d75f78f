"""What `dramatiq tasks.worker` loads: the broker first, every actor, and the schedule."""

from __future__ import annotations

from functools import partial

from config.settings import Settings, get_settings
from tasks.audit import AUDIT_PURGE_INTERVAL_SECONDS, purge_audit_log_once
from tasks.broker import broker, redis_client
from tasks.heartbeat import Heartbeat
from tasks.logs import MessageLogs
from tasks.mail import relay_mail_once, send_mail
from tasks.metrics import WorkerMetricsServer
from tasks.reconcile import ScheduledReconciliation, fail_abandoned, reconcile
from tasks.relay import relay_once
from tasks.scheduler import PeriodicJob, SchedulerMiddleware
from tasks.study_sessions import close_idle_sessions_once
from tasks.sync import apply_outbox_events

__all__ = ["apply_outbox_events", "broker", "periodic_jobs", "reconcile", "send_mail"]


ABANDONED_CHECK_SECONDS = 60.0


def periodic_jobs(settings: Settings) -> list[PeriodicJob]:
    """Everything the workers run on a schedule (one worker of all per tick).

    Add a job here; an interval of 0 turns it off.
    """
    relay = partial(relay_once, min_age_seconds=settings.relay_min_age_seconds)
    return [
        PeriodicJob("relay", settings.relay_interval_seconds, relay),
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
        PeriodicJob(
            "reconcile",
            settings.reconcile_interval_seconds,
            ScheduledReconciliation(settings.reconcile_interval_seconds),
        ),
    ]


broker.add_middleware(SchedulerMiddleware(lambda: periodic_jobs(get_settings())))
broker.add_middleware(MessageLogs())
broker.add_middleware(WorkerMetricsServer())
broker.add_middleware(Heartbeat(lambda: redis_client(get_settings().redis_url)))
