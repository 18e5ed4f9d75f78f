"""Request figures by operation name, resolver errors by code, pool use, subscriptions open.

Label values stay few: an operation name is kept only when it is a plain GraphQL name and one of
the first MAX_OPERATION_NAMES this process has seen; later names count as `other`, unnamed
operations as `anonymous`. Error codes come from the product's ErrorCode values, anything else
counts as `INTERNAL`, a refused request (parse, validation, limits) as `REQUEST`.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError

from domain.errors import ErrorCode
from schema.extensions.request_errors import is_request_error

if TYPE_CHECKING:
    from collections.abc import Sequence

    from resolvers.resources import ApiResources

__all__ = [
    "MAX_OPERATION_NAMES",
    "OperationNames",
    "error_code",
    "neo4j_pool_use",
    "postgres_pool_use",
]

MAX_OPERATION_NAMES = 100
PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
KNOWN_CODES = {code.value for code in ErrorCode}


class OperationNames:
    """The bounded set of operation names used as label values."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not PLAIN_NAME.fullmatch(name):
            return "other"
        with self._lock:
            if name in self._seen:
                return name
            if len(self._seen) < self._limit:
                self._seen.add(name)
                return name
        return "other"


def error_code(error: GraphQLError) -> str:
    if is_request_error(error):
        return "REQUEST"
    code = (error.extensions or {}).get("code")
    if code is None and isinstance(error.original_error, GraphQLError):
        code = (error.original_error.extensions or {}).get("code")
    return str(code) if code in KNOWN_CODES else "INTERNAL"


def postgres_pool_use(resources: ApiResources) -> dict[str, float]:
    """Connections of the API's SQLAlchemy pool: in use, idle, and the most it may open."""
    pool: Any = resources.engine.sync_engine.pool
    try:
        in_use, idle = pool.checkedout(), pool.checkedin()
        most = pool.size() + max(pool._max_overflow, 0)
    except AttributeError:  # a pool without a fixed size (tests may use NullPool)
        return {}
    return {"in_use": in_use, "idle": idle, "max": most}


def _count(connections: Sequence[Any], in_use: bool) -> int:
    return sum(
        1 for connection in connections if bool(getattr(connection, "in_use", False)) == in_use
    )


def neo4j_pool_use(resources: ApiResources) -> dict[str, float]:
    """Connections of the Neo4j driver's pool (read from the driver's pool, which has no public
    figures; empty when its shape is not the one expected)."""
    pool: Any = getattr(resources.driver, "_pool", None)
    try:
        connections = [c for queue in pool.connections.values() for c in queue]
        most = pool.pool_config.max_connection_pool_size
    except AttributeError:
        return {}
    return {"in_use": _count(connections, True), "idle": _count(connections, False), "max": most}
