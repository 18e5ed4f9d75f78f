"""Worker figures for Prometheus: batch sizes, batch durations, events applied.

Each worker process keeps its own registry and, when WORKER_METRICS_PORT is set, serves it on
the first free port from there up (one per process: `--processes 4` takes four ports). Events
applied per second is `rate(learngraph_worker_events_applied_total[1m])`; the API's /metrics
also reports `learngraph_events_applied_per_second` for all workers, read from PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import dramatiq
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

from config.settings import get_settings

if TYPE_CHECKING:
    from persistence.sync.apply import AppliedBatch

__all__ = ["PORTS_TRIED", "WORKER_REGISTRY", "WorkerMetricsServer", "observe_batch", "serve"]

logger = logging.getLogger(__name__)
PORTS_TRIED = 32
WORKER_REGISTRY = CollectorRegistry()
BATCH_EVENTS = Histogram(
    "learngraph_worker_batch_events",
    "Outbox events applied per worker batch (the message's own and those gathered).",
    buckets=(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500),
    registry=WORKER_REGISTRY,
)
BATCH_SECONDS = Histogram(
    "learngraph_worker_batch_seconds",
    "Time to apply one worker batch (claim, snapshot, graph write, completion).",
    registry=WORKER_REGISTRY,
)
EVENTS_APPLIED = Counter(
    "learngraph_worker_events_applied",
    "Outbox events this worker process applied to the graph.",
    registry=WORKER_REGISTRY,
)


def observe_batch(batch: AppliedBatch, seconds: float) -> None:
    if batch.events:
        BATCH_EVENTS.observe(batch.events)
        BATCH_SECONDS.observe(seconds)
        EVENTS_APPLIED.inc(batch.events)


def serve(first_port: int) -> int | None:
    """Serve the registry on the first free port from `first_port`; the port, or None."""
    for port in range(first_port, first_port + PORTS_TRIED):
        try:
            start_http_server(port, registry=WORKER_REGISTRY)
        except OSError:
            continue
        return port
    return None


class WorkerMetricsServer(dramatiq.Middleware):
    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        first_port = get_settings().worker_metrics_port
        if first_port:
            port = serve(first_port)
            logger.info("worker metrics", extra={"port": port})
