"""Prometheus metrics: operations timed, errors counted, outbox and lag read from the stores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from tests.support.contract import operation

if TYPE_CHECKING:
    from tests.support.api import Api


def _samples(body: str, name: str) -> dict[str, float]:
    """Each sample of a metric family, by its label text ('' for none)."""
    found: dict[str, float] = {}
    for line in body.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            series, _, value = line.rpartition(" ")
            found[series.removeprefix(name)] = float(value)
    return found


async def _metrics(api: Api) -> str:
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_operations_are_timed_and_their_errors_counted_by_kind(api: Api) -> None:
    # given two queries and a mutation, one query broken
    await api.sign_in("admin", "admin-password")
    await api.data("{ me { username } }")
    await api.send("{ me { noSuchField } }")
    concept = {"input": {"name": "graphs", "displayName": "Graphs", "difficulty": "BEGINNER"}}
    await api.data(operation("CreateConcept"), concept)
    # when Prometheus scrapes
    body = await _metrics(api)
    # then each operation type has its timings and the broken query counts as a request error
    counts = _samples(body, "learngraph_graphql_request_seconds_count")
    assert counts['{operation_type="query"}'] == 2  # the sign-in is a mutation
    assert counts['{operation_type="mutation"}'] == 2
    assert _samples(body, "learngraph_graphql_errors_total") == {'{kind="request"}': 1.0}


async def test_the_outbox_by_status_and_the_sync_lag_come_from_postgresql(
    api: Api, engine: Engine
) -> None:
    # given two dead events and one pending an hour old (the bootstrap admin's event is pending)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox_events"))
        for status, age in (("dead", "1 minute"), ("dead", "1 minute"), ("pending", "1 hour")):
            connection.execute(
                text(
                    "INSERT INTO outbox_events (id, correlation_id, event_type, entity_type,"
                    " entity_id, payload, source_version, status, attempts, created_at, updated_at)"
                    " VALUES (gen_random_uuid(), gen_random_uuid(), 'entity_created', 'concept',"
                    " gen_random_uuid()::text, '{}', 1, :status, 0, now() - CAST(:age AS interval),"
                    " now())"
                ),
                {"status": status, "age": age},
            )
    # when Prometheus scrapes
    body = await _metrics(api)
    # then the gauges say so
    outbox = _samples(body, "learngraph_outbox_events")
    assert outbox['{status="dead"}'] == 2
    assert outbox['{status="pending"}'] == 1
    assert outbox['{status="completed"}'] == 0
    [lag] = _samples(body, "learngraph_sync_lag_seconds").values()
    assert 3590 < lag < 3700
    assert _samples(body, "learngraph_graph_available") == {"": 1.0}


async def test_operations_are_timed_by_name_and_errors_counted_by_code(api: Api) -> None:
    # given a named query, an anonymous one, one a field refuses and one refused before it runs
    await api.send("query Internals { syncStatus { pending } }")  # not signed in
    await api.sign_in("admin", "admin-password")
    await api.data("query Me { me { username } }")
    await api.data("{ me { username } }")
    await api.send("query Broken { me { noSuchField } }")
    # when Prometheus scrapes
    body = await _metrics(api)
    # then each operation is timed under its name, unnamed ones as anonymous
    counts = _samples(body, "learngraph_graphql_operation_seconds_count")
    assert counts['{operation="Me",operation_type="query"}'] == 1
    assert counts['{operation="anonymous",operation_type="query"}'] == 1
    assert counts['{operation="Login",operation_type="mutation"}'] == 1
    # and errors count by operation and by code
    failed = _samples(body, "learngraph_graphql_operation_errors_total")
    assert failed == {'{operation="Internals"}': 1, '{operation="Broken"}': 1}
    codes = _samples(body, "learngraph_graphql_resolver_errors_total")
    assert codes == {'{code="UNAUTHENTICATED"}': 1, '{code="REQUEST"}': 1}


async def test_a_variable_that_does_not_coerce_counts_as_a_refused_request(api: Api) -> None:
    # when a variable's value is no 32-bit integer
    await api.send("query Page($n: Int!) { concepts(first: $n) { totalCount } }", {"n": 2**40})
    # then it counts as a refused request, not as an internal error
    body = await _metrics(api)
    assert _samples(body, "learngraph_graphql_resolver_errors_total") == {'{code="REQUEST"}': 1}
    assert _samples(body, "learngraph_graphql_errors_total") == {'{kind="request"}': 1.0}


async def test_pools_applied_events_and_open_subscriptions_are_reported(api: Api) -> None:
    await api.sign_in("admin", "admin-password")
    body = await _metrics(api)
    pools = _samples(body, "learngraph_pool_connections")
    assert pools['{state="max",store="postgresql"}'] >= 1
    in_use, idle = (
        pools['{state="in_use",store="postgresql"}'],
        pools['{state="idle",store="postgresql"}'],
    )
    assert in_use + idle >= 1  # the connections the sign-in and the scrape used
    assert pools['{state="max",store="neo4j"}'] >= 1
    assert _samples(body, "learngraph_subscriptions_open") == {"": 0.0}
    assert _samples(body, "learngraph_events_applied_per_second") == {"": 0.0}
