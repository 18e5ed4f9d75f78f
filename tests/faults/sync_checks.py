"""What the fault tests assert after each scenario: SQL and the graph agree, the outbox is done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from tests.support.contract import operation
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from tests.faults.conftest import ApiFactory, FaultStores
    from tests.support.api import Api

__all__ = [
    "ADD_RELATION",
    "CREATE",
    "FAST_RELAY",
    "UPDATE",
    "assert_converges",
    "caught_up_product",
    "concept_input",
    "mirror_differences",
    "outbox_by_status",
    "use_fast_relay",
]

# The processes' relay re-sends anything older than 2 s, every second.
FAST_RELAY = {"RELAY_MIN_AGE_SECONDS": "2", "RELAY_INTERVAL_SECONDS": "1"}

CREATE = operation("CreateConcept")

UPDATE = operation("UpdateConcept")

ADD_RELATION = operation("AddConceptRelation")


def use_fast_relay(stores: FaultStores) -> None:
    """Processes started from now on relay stuck events after 2 s instead of the default."""
    stores.env.update(FAST_RELAY)


async def caught_up_product(stores: FaultStores, http: ApiFactory) -> Api:
    """The API and a worker (relaying after 2 s), an admin signed in, the outbox caught up."""
    use_fast_relay(stores)
    api = http(stores.api())
    stores.worker()
    await api.sign_in("admin", "admin-password")
    assert_converges(stores, timeout=60)
    return api


def concept_input(name: str) -> dict[str, object]:
    return {"input": {"name": name, "displayName": name.title(), "difficulty": "BEGINNER"}}


def outbox_by_status(stores: FaultStores) -> dict[str, int]:
    with stores.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT status, count(*) FROM outbox_events GROUP BY status")
        ).all()
    return {status: int(count) for status, count in rows}


def _sql(stores: FaultStores, query: str) -> list[Any]:
    with stores.engine.connect() as connection:
        return list(connection.execute(text(query)).all())


def _graph(stores: FaultStores, query: str) -> list[Any]:
    records, _, _ = stores.graph.execute_query(query, database_=stores.settings.neo4j_database)
    return [tuple(record.values()) for record in records]


def _sql_state(stores: FaultStores) -> dict[str, set[tuple[Any, ...]]]:
    concepts = _sql(stores, "SELECT id::text, display_name, description, version FROM concepts")
    users = _sql(stores, "SELECT id::text, username, version FROM users")
    relations = _sql(
        stores,
        "SELECT id::text, source_id::text, target_id::text, upper(kind) FROM concept_relations",
    )
    return {"concepts": set(concepts), "users": set(users), "relations": set(relations)}


def _graph_state(stores: FaultStores) -> dict[str, set[tuple[Any, ...]]]:
    concepts = _graph(
        stores, "MATCH (c:Concept) RETURN c.id, c.display_name, c.description, c.version"
    )
    users = _graph(stores, "MATCH (u:User) RETURN u.id, u.username, u.version")
    relations = _graph(
        stores,
        "MATCH (s:Concept)-[r]->(t:Concept) RETURN r.id, s.id, t.id, type(r)",
    )
    return {"concepts": set(concepts), "users": set(users), "relations": set(relations)}


def _duplicates(stores: FaultStores) -> list[Any]:
    return _graph(
        stores,
        "MATCH (n) WITH labels(n) AS labels, n.id AS id, count(*) AS copies"
        " WHERE copies > 1 RETURN labels, id, copies",
    )


def mirror_differences(stores: FaultStores) -> dict[str, Any]:
    """What the graph lacks or has in excess compared with SQL; empty once they agree.

    Covers every concept (content and version), user and concept relation, and nodes that
    exist twice. Completed events are a precondition: anything still open counts as a difference.
    """
    wanted, found = _sql_state(stores), _graph_state(stores)
    differences: dict[str, Any] = {}
    for kind, rows in wanted.items():
        if rows != found[kind]:
            differences[kind] = {"missing": rows - found[kind], "extra": found[kind] - rows}
    if duplicates := _duplicates(stores):
        differences["duplicates"] = duplicates
    if still_open := {s: n for s, n in outbox_by_status(stores).items() if s != "completed"}:
        differences["open_events"] = still_open
    return differences


def assert_converges(stores: FaultStores, *, timeout: float = 120.0) -> None:
    """Wait until mirror_differences is empty; fail naming the differences left."""
    last: dict[str, Any] = {}

    def agreed() -> bool:
        nonlocal last
        last = mirror_differences(stores)
        return not last

    try:
        eventually(agreed, timeout=timeout, interval=0.5)
    except AssertionError:
        raise AssertionError(f"the graph did not converge within {timeout}s: {last}") from None
