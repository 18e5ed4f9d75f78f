"""OpenTelemetry tracing: off unless an OTLP endpoint is configured (the standard OTEL_* names).

`configure_tracing` installs an SDK tracer provider exporting over OTLP/HTTP (the exporter reads
OTEL_EXPORTER_OTLP_* itself: endpoint, headers, timeout) and instruments the libraries: Redis
(every command), the Neo4j driver (a span per transaction function and per Cypher query, see
`config/neo4j_spans.py`) and each SQLAlchemy engine made after it (`trace_engine`). The API adds
the ASGI middleware and GraphQL spans when a provider is installed (`tracing_active`). Tests
install their own provider with an in-memory exporter through `install`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import context, propagate, trace

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from opentelemetry.sdk.trace import TracerProvider
    from sqlalchemy import Engine

    from config.settings import Settings

__all__ = [
    "attached",
    "carrier",
    "configure_tracing",
    "install",
    "trace_engine",
    "tracer",
    "tracing_active",
]

_state: dict[str, bool] = {"active": False}


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def tracing_active() -> bool:
    return _state["active"]


def install(provider: TracerProvider) -> None:
    """Make `provider` the process's tracer provider and instrument Redis and Neo4j."""
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    from config.neo4j_spans import instrument_neo4j

    trace.set_tracer_provider(provider)
    RedisInstrumentor().instrument(tracer_provider=provider)
    instrument_neo4j()
    _state["active"] = True


def configure_tracing(settings: Settings, *, service: str) -> None:
    """Export spans over OTLP when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set; else nothing."""
    if tracing_active() or not settings.tracing_endpoint:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": settings.otel_service_name or "learngraph"})
    provider = TracerProvider(resource=resource.merge(Resource({"learngraph.process": service})))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    install(provider)


def trace_engine(engine: Engine) -> None:
    """A span per SQL statement on this engine, when tracing is on.

    The instrumentation's own engine tracer, attached to this engine: its instrumentor is a
    process-wide singleton (it would take only the first engine) and its declared range stops
    below SQLAlchemy 2.1, whose engine events the tracer uses unchanged.
    """
    if not tracing_active():
        return
    from opentelemetry import metrics
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    usage = metrics.get_meter(__name__).create_up_down_counter(
        "db.client.connections.usage", unit="connections"
    )
    tracer_ = trace.get_tracer("learngraph.sql")
    EngineTracer(tracer_, engine, usage, enable_commenter=False)  # type: ignore[no-untyped-call]


def carrier() -> dict[str, str] | None:
    """The current trace context as W3C headers (`traceparent`), or None outside a span."""
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


@contextmanager
def attached(headers: Mapping[str, Any] | None) -> Iterator[None]:
    """Run the block inside the trace context that `headers` carry (none: as it is)."""
    if not headers:
        yield
        return
    token = context.attach(propagate.extract(dict(headers)))
    try:
        yield
    finally:
        context.detach(token)
