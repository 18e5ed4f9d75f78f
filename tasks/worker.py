"""What `dramatiq tasks.worker` loads: the broker first, every actor, and the schedule."""

from __future__ import annotations

from config.settings import get_settings
from tasks.broker import broker, redis_client
from tasks.heartbeat import Heartbeat
from tasks.logs import MessageLogs
from tasks.mail import send_mail
from tasks.metrics import WorkerMetricsServer
from tasks.periodic import periodic_jobs, run_periodic, send_periodic
from tasks.priority import LowerPriority
from tasks.reconcile import reconcile
from tasks.scheduler import SchedulerMiddleware
from tasks.sync import apply_outbox_events

__all__ = ["apply_outbox_events", "broker", "reconcile", "run_periodic", "send_mail"]


broker.add_middleware(LowerPriority(get_settings().worker_nice))
broker.add_middleware(SchedulerMiddleware(lambda: periodic_jobs(get_settings()), send_periodic))
broker.add_middleware(MessageLogs())
broker.add_middleware(WorkerMetricsServer())
broker.add_middleware(Heartbeat(lambda: redis_client(get_settings().redis_url)))
