"""Uniqueness constraints and indexes the graph needs, created idempotently.

The labels and relationship types come from the mirror registry's declarations: a node label
a mirror owns gets a uniqueness constraint on `id`, a relationship type a mirror writes with
an `id` gets an index on it (reconciliation pages edges by it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from neo4j import Driver

__all__ = ["ensure_schema", "schema_statements"]


def schema_statements(node_labels: Sequence[str], edge_id_types: Sequence[str]) -> list[str]:
    # Labels and types come from the mirrors' declarations (code), never from input.
    unique = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in node_labels
    ]
    edges = [
        f"CREATE INDEX {kind.lower()}_id IF NOT EXISTS FOR ()-[r:{kind}]-() ON (r.id)"
        for kind in edge_id_types
    ]
    names = ["CREATE INDEX concept_name IF NOT EXISTS FOR (n:Concept) ON (n.name)"]
    return unique + edges + names


def ensure_schema(driver: Driver, *, database: str) -> None:
    registry = default_registry()
    for statement in schema_statements(registry.node_labels(), registry.edge_id_types()):
        driver.execute_query(statement, database_=database)
