"""One trace from the HTTP request through the outbox and the broker to the worker's Neo4j write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import Engine, text

from config.tracing import install, tracing_active
from schema.app import create_app
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.contract import operation
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    import dramatiq

    from config.settings import Settings

CREATE = operation("CreateConcept")
CONCEPTS = operation("Concepts")
EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """The SDK with an in-memory exporter (installed once per process; it stays on)."""
    if not tracing_active():
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        install(provider)
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


@pytest.fixture
async def traced_api(spans: InMemorySpanExporter, settings: Settings) -> AsyncIterator[Api]:
    app = create_app(settings)  # made after the provider: its middleware and engine are traced
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        api = Api(client)
        await api.sign_in("admin", "admin-password")
        yield api


def ancestry(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[str]:
    """The span's name and its ancestors' names, root first."""
    names = [span.name]
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        names.insert(0, span.name)
    return names


def span_tree(trace: list[ReadableSpan]) -> str:
    """The trace as an indented tree, children in start order (what the README shows)."""
    children: dict[int | None, list[ReadableSpan]] = {}
    for span in sorted(trace, key=lambda s: s.start_time or 0):
        children.setdefault(span.parent.span_id if span.parent else None, []).append(span)

    def lines(parent: int | None, depth: int) -> list[str]:
        found: list[str] = []
        for span in children.get(parent, []):
            found.append("  " * depth + span.name)
            found += lines(span.context.span_id if span.context else None, depth + 1)
        return found

    return "\n".join(lines(None, 0))


def trace_of(exporter: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    root = next(s for s in exporter.get_finished_spans() if s.name == name)
    assert root.context is not None
    return [
        s
        for s in exporter.get_finished_spans()
        if s.context is not None and s.context.trace_id == root.context.trace_id
    ]


def open_events(engine: Engine) -> int:
    with engine.connect() as connection:
        query = text("SELECT count(*) FROM outbox_events WHERE status <> 'completed'")
        return int(connection.execute(query).scalar_one())


def outbox_trace_parent(engine: Engine, concept_id: str) -> Any:
    with engine.connect() as connection:
        query = text("SELECT trace_context FROM outbox_events WHERE entity_id = :id")
        return connection.execute(query, {"id": concept_id}).scalar_one()


async def test_a_create_concept_is_one_trace_from_request_to_graph_write(
    spans: InMemorySpanExporter, traced_api: Api, worker: dramatiq.Worker, engine: Engine
) -> None:
    # given a worker that has applied everything so far (a batch takes along any open event,
    # so an earlier message could otherwise write this concept in its own trace)
    eventually(lambda: open_events(engine) == 0, timeout=30)
    # when a concept is created over HTTP
    spans.clear()
    variables = {"input": {"name": "tracing", "displayName": "Tracing", "difficulty": "BEGINNER"}}
    created = (await traced_api.data(CREATE, variables))["createConcept"]
    concept_id = created["concept"]["id"]

    # then the worker's Neo4j write ends up in the request's trace, its ancestors all finished
    def graph_write() -> ReadableSpan | None:
        if not any(s.name == "graphql.mutation CreateConcept" for s in spans.get_finished_spans()):
            return None
        trace = trace_of(spans, "graphql.mutation CreateConcept")
        by_id = {s.context.span_id: s for s in trace if s.context is not None}
        writes = [s for s in trace if s.name.startswith("neo4j.write")]
        return next((s for s in writes if ancestry(s, by_id)[0].startswith("POST")), None)

    write = eventually(graph_write, timeout=30, interval=0.05)
    trace = trace_of(spans, "graphql.mutation CreateConcept")
    by_id = {s.context.span_id: s for s in trace if s.context is not None}
    # and its ancestors run request -> operation -> commit -> broker -> worker -> Neo4j
    assert ancestry(write, by_id) == [
        "POST /graphql",
        "graphql.mutation CreateConcept",
        "unit_of_work.commit",
        "dramatiq.send apply_outbox_events",
        "dramatiq.process apply_outbox_events",
        write.name,
    ]
    # and the Cypher queries of the write hang below it
    assert write.context is not None
    write_id = write.context.span_id
    queries = [s for s in trace if s.name == "neo4j.query" and s.parent is not None]
    assert any(s.parent is not None and s.parent.span_id == write_id for s in queries)
    # and SQL statements of the request are in the trace, below the operation
    statements = [s for s in trace if (s.attributes or {}).get("db.system") == "postgresql"]
    assert any("graphql.mutation CreateConcept" in ancestry(s, by_id) for s in statements)
    # and the outbox row keeps the commit's trace context for the relay
    stored = outbox_trace_parent(engine, concept_id)
    assert stored["traceparent"].split("-")[1] == format(write.context.trace_id, "032x")
    print(span_tree(trace))  # the README's example comes from here (pytest -s)


async def test_a_querys_json_reads_are_statements_of_its_trace(
    spans: InMemorySpanExporter, traced_api: Api
) -> None:
    # when a page of concepts is read (PostgreSQL writes it as JSON, on the reads' own pool)
    spans.clear()
    await traced_api.data(CONCEPTS, {"first": 5})
    # then its statement is a span below the operation, named and described as the engines'
    trace = trace_of(spans, "graphql.query Concepts")
    by_id = {s.context.span_id: s for s in trace if s.context is not None}
    statements = [s for s in trace if (s.attributes or {}).get("db.system") == "postgresql"]
    pages = [s for s in statements if "FROM concepts" in str((s.attributes or {})["db.statement"])]
    assert pages, span_tree(trace)
    assert all("graphql.query Concepts" in ancestry(s, by_id) for s in pages)
    assert all(s.name.startswith("SELECT ") for s in pages)
