"""Why a graph read gave no answer, as field errors clients see as they are.

Every Neo4j read of the API ends in one of these or in its answer: never in an unexpected
error (masked as "Internal server error"). Fields with an SQL copy answer from SQL instead
(see federated.py); the others fail alone with the error's code.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError
from neo4j.exceptions import (
    ConnectionPoolError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

__all__ = [
    "GRAPH_UNAVAILABLE",
    "GraphFailedError",
    "GraphReadError",
    "GraphTimeoutError",
    "GraphUnavailableError",
    "classified",
]

logger = logging.getLogger("learngraph.graph")

GRAPH_UNAVAILABLE = "the knowledge graph is unavailable; try again shortly"
# What "Neo4j cannot answer now" looks like once the driver has given up retrying: no server
# or connection (ServiceUnavailable, SessionExpired, OSError), no pooled connection in time
# (ConnectionAcquisitionTimeoutError), a server still starting or overloaded (TransientError,
# DatabaseUnavailable).
UNREACHABLE = (ServiceUnavailable, SessionExpired, ConnectionPoolError, TransientError, OSError)
# The server ended the transaction at its timeout (the driver's `timeout`, set from
# NEO4J_TRANSACTION_TIMEOUT_SECONDS).
TIMED_OUT_CODES = frozenset(
    {
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    }
)


class GraphReadError(GraphQLError):
    """A graph read that gave no answer: a field error shown to clients as it is."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


class GraphUnavailableError(GraphReadError):
    """Neo4j cannot be reached (or stopped answering)."""

    def __init__(self) -> None:
        super().__init__(GRAPH_UNAVAILABLE, "GRAPH_UNAVAILABLE")


class GraphTimeoutError(GraphReadError):
    """The read ran past NEO4J_TRANSACTION_TIMEOUT_SECONDS and was ended."""

    def __init__(self, seconds: float) -> None:
        message = f"the knowledge graph did not answer within {seconds:g} s; try a smaller query"
        super().__init__(message, "GRAPH_TIMEOUT")


class GraphFailedError(GraphReadError):
    """Neo4j refused the read for another reason (logged with its cause)."""

    def __init__(self) -> None:
        super().__init__("the knowledge graph could not answer this read", "GRAPH_ERROR")


def classified(error: Exception, *, timeout_seconds: float) -> GraphReadError | None:
    """The field error for a failed read, or None when the error is not the graph's."""
    if isinstance(error, Neo4jError) and error.code in TIMED_OUT_CODES:
        return GraphTimeoutError(timeout_seconds)
    if isinstance(error, UNREACHABLE):
        return GraphUnavailableError()
    if isinstance(error, Neo4jError | DriverError):
        logger.error("graph read failed", exc_info=error)
        return GraphFailedError()
    return None
