"""Each way a graph read can fail maps to one typed field error."""

from __future__ import annotations

import pytest
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from resolvers.loaders.graph_errors import (
    GraphFailedError,
    GraphTimeoutError,
    GraphUnavailableError,
    classified,
)


def server_error(code: str) -> Neo4jError:
    return Neo4jError._hydrate_neo4j(code=code, message="from the server")


@pytest.mark.parametrize(
    "code",
    [
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    ],
)
def test_a_transaction_ended_at_its_timeout_is_graph_timeout(code: str) -> None:
    failure = classified(server_error(code), timeout_seconds=1.5)
    assert isinstance(failure, GraphTimeoutError)
    assert failure.extensions == {"code": "GRAPH_TIMEOUT"}
    assert "1.5 s" in failure.message


def test_an_unreachable_server_is_graph_unavailable() -> None:
    failure = classified(ServiceUnavailable("no route"), timeout_seconds=1)
    assert isinstance(failure, GraphUnavailableError)
    assert failure.extensions == {"code": "GRAPH_UNAVAILABLE"}


def test_any_other_refusal_is_graph_error_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    failure = classified(server_error("Neo.DatabaseError.General.UnknownError"), timeout_seconds=1)
    assert isinstance(failure, GraphFailedError)
    assert failure.extensions == {"code": "GRAPH_ERROR"}
    assert "graph read failed" in caplog.text


def test_an_error_that_is_not_the_graphs_is_left_alone() -> None:
    assert classified(ValueError("a bug"), timeout_seconds=1) is None
