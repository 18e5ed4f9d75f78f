"""Prometheus metrics at /metrics: request latency, errors, the outbox, sync lag, reconciliation.

Request figures are counted as operations run; outbox and reconciliation figures are read from
PostgreSQL when Prometheus scrapes, so they are right whichever process did the work.
"""

from __future__ import annotations

import hmac
import time
from datetime import timedelta
from typing import TYPE_CHECKING

from graphql import GraphQLError
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from persistence.sql.models import OutboxEvent, ReconciliationRun
from persistence.sync.admin import read_sync_status
from schema.extensions.parsing import operation_kind
from schema.extensions.request_errors import is_request_error
from schema.operation_metrics import (
    OperationNames,
    error_code,
    neo4j_pool_use,
    postgres_pool_use,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.requests import Request

    from resolvers.resources import ApiResources

__all__ = [
    "Metrics",
    "RequestMetrics",
    "metrics_endpoint",
    "metrics_of",
    "private_metrics_endpoint",
]

APPLIED_WINDOW_SECONDS = 60
RUN_FIGURES = ("checked", "missing_in_graph", "orphaned_in_graph", "stale", "repaired", "conflicts")


class Metrics:
    """One registry per app, so that several apps in one process never share figures.

    Served by several processes (`shared_folder`, PROMETHEUS_MULTIPROC_DIR), each writes its
    figures to that folder and a scrape adds up all of them: counters and histograms summed,
    the gauges (read from the stores at scrape time) as last set.
    """

    def __init__(self, shared_folder: str | None = None) -> None:
        self.shared_folder = shared_folder
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "learngraph_graphql_request_seconds",
            "Time to execute a GraphQL operation.",
            ["operation_type"],
            registry=self.registry,
        )
        self.errors = Counter(
            "learngraph_graphql_errors_total",
            "GraphQL errors: request (parse, validation, limits), field (deliberate), unexpected.",
            ["kind"],
            registry=self.registry,
        )
        self.outbox = Gauge(
            "learngraph_outbox_events",
            "Outbox events by status.",
            ["status"],
            multiprocess_mode="mostrecent",
            registry=self.registry,
        )
        self.lag = Gauge(
            "learngraph_sync_lag_seconds",
            "Age of the oldest outbox event not yet applied to the graph.",
            multiprocess_mode="mostrecent",
            registry=self.registry,
        )
        self.graph_up = Gauge(
            "learngraph_graph_available",
            "1 when Neo4j answers.",
            multiprocess_mode="mostrecent",
            registry=self.registry,
        )
        self.operation_names = OperationNames()
        self.operation_latency = Histogram(
            "learngraph_graphql_operation_seconds",
            "Time to execute a GraphQL operation, by name (a bounded set; see operation_metrics).",
            ["operation", "operation_type"],
            registry=self.registry,
        )
        self.operation_errors = Counter(
            "learngraph_graphql_operation_errors_total",
            "GraphQL operations that answered with at least one error, by name.",
            ["operation"],
            registry=self.registry,
        )
        self.resolver_errors = Counter(
            "learngraph_graphql_resolver_errors_total",
            "GraphQL errors by code (REQUEST for refused requests, INTERNAL for unexpected ones).",
            ["code"],
            registry=self.registry,
        )
        self.pool = Gauge(
            "learngraph_pool_connections",
            "Connections of this API process's pools: in_use, idle and max, per store.",
            ["store", "state"],
            multiprocess_mode="livesum",
            registry=self.registry,
        )
        self.subscriptions_open = Gauge(
            "learngraph_subscriptions_open",
            "GraphQL subscriptions open now (inc() when one starts, dec() when it ends).",
            multiprocess_mode="livesum",
            registry=self.registry,
        )
        self.applied_rate = Gauge(
            "learngraph_events_applied_per_second",
            "Outbox events applied to the graph per second over the last minute (all workers).",
            multiprocess_mode="mostrecent",
            registry=self.registry,
        )
        self.last_run = Gauge(
            "learngraph_reconciliation_last_run",
            "Figures of the latest finished reconciliation run.",
            ["figure"],
            multiprocess_mode="mostrecent",
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        """The Prometheus text of this process, or of every process sharing the folder."""
        if self.shared_folder is None:
            return generate_latest(self.registry)
        every_process = CollectorRegistry()
        MultiProcessCollector(every_process, path=self.shared_folder)  # type: ignore[no-untyped-call]
        return generate_latest(every_process)

    async def refresh(self, resources: ApiResources) -> None:
        """Read the outbox and the latest reconciliation run into the gauges."""
        figures = await read_sync_status(resources.sessions, resources.driver)
        for status, events in figures.counts.items():
            self.outbox.labels(status=status).set(events)
        self.lag.set(figures.lag_seconds)
        self.graph_up.set(1 if figures.graph_available else 0)
        latest = (
            select(ReconciliationRun)
            .where(ReconciliationRun.finished_at.is_not(None))
            .order_by(ReconciliationRun.finished_at.desc())
            .limit(1)
        )
        async with resources.sessions() as session:
            run = await session.scalar(latest)
        for figure in RUN_FIGURES:
            self.last_run.labels(figure=figure).set(getattr(run, figure) if run else 0)
        await self._refresh_rate_and_pools(resources)

    async def _refresh_rate_and_pools(self, resources: ApiResources) -> None:
        window = timedelta(seconds=APPLIED_WINDOW_SECONDS)
        applied = select(func.count()).where(OutboxEvent.completed_at > func.now() - window)
        async with resources.sessions() as session:
            count = await session.scalar(applied)
        self.applied_rate.set((count or 0) / APPLIED_WINDOW_SECONDS)
        for store, use in (
            ("postgresql", postgres_pool_use(resources)),
            ("neo4j", neo4j_pool_use(resources)),
        ):
            for state, value in use.items():
                self.pool.labels(store=store, state=state).set(value)

    def observe(
        self, name: str | None, kind: str, seconds: float, errors: list[GraphQLError]
    ) -> None:
        """One finished operation: its time by name, and its errors by name and by code."""
        operation = self.operation_names.label(name)
        self.operation_latency.labels(operation=operation, operation_type=kind).observe(seconds)
        if errors:
            self.operation_errors.labels(operation=operation).inc()
        for error in errors:
            self.resolver_errors.labels(code=error_code(error)).inc()


class RequestMetrics(SchemaExtension):
    """Times every operation and counts the errors of its response."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        metrics = metrics_of(self.execution_context.context)
        if metrics is None:
            return
        seconds = time.perf_counter() - started
        operation = operation_kind(self.execution_context)
        metrics.latency.labels(operation_type=operation).observe(seconds)
        result = self.execution_context.result
        errors = list(result.errors or []) if result is not None else []
        for error in errors:
            metrics.errors.labels(kind=_error_kind(error)).inc()
        metrics.observe(self.execution_context.operation_name, operation, seconds, errors)


def metrics_of(context: object) -> Metrics | None:
    request = getattr(context, "request", None)
    app = getattr(request, "app", None)
    return getattr(app.state, "metrics", None) if app is not None else None


def _error_kind(error: GraphQLError) -> str:
    # Runs before MaskUnexpectedErrors (extensions exit in reverse order), so originals are seen.
    if is_request_error(error):
        return "request"
    return "field" if isinstance(error.original_error, GraphQLError) else "unexpected"


def _refusal(request: Request, *, public: bool) -> Response | None:
    """None when the caller may scrape. With METRICS_TOKEN set, only `Authorization: Bearer
    <METRICS_TOKEN>` may (401 otherwise). Without it, anyone may on METRICS_BIND's own address;
    on the public port anyone in development, nobody in production (404: the endpoint is off)."""
    settings = request.app.state.resources.settings
    if settings.metrics_token is None:
        return Response("Not Found", status_code=404) if public and settings.production else None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.metrics_token.get_secret_value().encode()
    if scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected):
        return None
    return Response("Unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"})


async def _scrape(request: Request, *, public: bool) -> Response:
    refused = _refusal(request, public=public)
    if refused is not None:
        return refused
    metrics: Metrics = request.app.state.metrics
    await metrics.refresh(request.app.state.resources)
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


async def metrics_endpoint(request: Request) -> Response:
    """/metrics on the public port (only while METRICS_BIND is unset)."""
    return await _scrape(request, public=True)


async def private_metrics_endpoint(request: Request) -> Response:
    """/metrics on METRICS_BIND's own address."""
    return await _scrape(request, public=False)
