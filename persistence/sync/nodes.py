"""A mirror for entities that are graph nodes: one label, properties, a version, and optionally
where the node hangs (a parent edge, link sets, a sibling chain; see structure.py).

One SQL statement reads a batch. The node is written under the version guard; its edges are
rebuilt only for the rows that passed it, so an older snapshot never rewires a newer node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import RowMapping, Uuid, any_, cast, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from persistence.sync import cypher
from persistence.sync.hashing import content_hash
from persistence.sync.mirror import Snapshot
from persistence.sync.structure import (
    EDGE_HASH,
    Chain,
    ChainText,
    LinkSet,
    ParentLink,
    chain_text,
    link_item,
    link_items,
    parse_uuids,
    siblings,
)
from persistence.sync.targets import Target, node_page, uuid_array

if TYPE_CHECKING:
    from collections.abc import Sequence

    from neo4j import ManagedTransaction
    from sqlalchemy.orm import Session

    from domain.events import EntityType

__all__ = ["NodeMirror"]


class NodeMirror:
    """MERGE on id under the version guard, then the parent edge, link sets and chain; DETACH
    DELETE (with what it contains, `cascade`) when the row is gone.

    `label` and the relationship types come from code, never from input: they cannot be Cypher
    parameters. `extra_cypher` runs after the node's properties are set (variables n and row).
    """

    def __init__(
        self,
        *,
        entity_type: EntityType,
        label: str,
        model: Any,
        properties: Sequence[str],
        order: int,
        parent: ParentLink | None = None,
        links: Sequence[LinkSet] = (),
        chain: Chain | None = None,
        cascade: tuple[str, ...] = (),
        extra_cypher: str = "",
    ) -> None:
        self.entity_type = entity_type
        self.order = order
        self.label = label
        self.node_label: str | None = label
        self.edge_id_types: tuple[str, ...] = ()
        self.removal: tuple[Any, ...] = (parent.column,) if parent else ()
        self._model = model
        self._properties = tuple(properties)
        self._parent = parent
        self._links = tuple(links)
        self.link_owners: tuple[Any, ...] = tuple(link.owner for link in self._links)
        self._next = chain.rel_type if parent and chain else None
        page = node_page(label, self._structure_cypher())
        self.target = Target(entity_type, model, (model.id,), page, "x.id")
        self._chain: ChainText | None = (
            chain_text(label, parent, chain) if parent and chain else None
        )
        self._write = cypher.guarded_node(label, extra_cypher)
        self._remove = cypher.remove_nodes(label, cascade)

    def _structure_cypher(self) -> str:
        parts = []
        if self._parent:
            parent = self._parent
            parts.append(f"parent: [(p:{parent.label})-[:{parent.rel_type}]->(x) | p.id]")
        for link in self._links:
            ends = f"(x)-[:{link.rel_type}]->(t:{link.target_label})"
            parts.append(f"{link.key}: [{ends} | t.id]")
        if self._next:
            parts.append(f"next: [(x)-[:{self._next}]->(y:{self.label}) | y.id]")
        return "{" + ", ".join(parts) + "}" if parts else "null"

    def structure(self, row: dict[str, Any]) -> dict[str, list[str]] | None:
        """Its parent, link targets and next sibling, as reconciliation compares them."""
        if not (self._parent or self._links or self._next):
            return None
        found: dict[str, list[str]] = {}
        if self._parent:
            found["parent"] = [row["parent_id"]]
        for link in self._links:
            found[link.key] = sorted(item["id"] for item in row[link.key])
        if self._next:
            chain: list[str] = row["siblings"]
            after = chain.index(row["id"]) + 1 if row["id"] in chain else len(chain)
            found["next"] = chain[after : after + 1]
        return found

    def _columns(self) -> list[Any]:
        model = self._model
        columns: list[Any] = [model.id.label("id"), model.version.label("version")]
        columns += [getattr(model, name).label(name) for name in self._properties]
        if self._parent:
            columns.append(self._parent.column.label("parent_id"))
        if self._parent and self._chain:
            columns.append(siblings(model, self._parent).label("siblings"))
        columns += [link_items(model, link).label(link.key) for link in self._links]
        return columns

    def _row(self, entity_id: str, found: RowMapping) -> dict[str, Any]:
        properties = {name: found[name] for name in self._properties}
        row: dict[str, Any] = {
            "id": entity_id,
            "version": found["version"],
            "properties": properties,
            "content_hash": content_hash(properties),
        }
        if self._parent:
            row["parent_id"] = str(found["parent_id"])
        if self._chain:
            row["siblings"] = [str(sibling) for sibling in found["siblings"]]
        for link in self._links:
            row[link.key] = [link_item(item) for item in found[link.key]]
        return row

    def snapshot(self, session: Session, ids: Sequence[str]) -> Snapshot:
        wanted = {key: value for value, key in parse_uuids(ids).items()}
        ids_array = cast(literal(uuid_array(wanted)), ARRAY(Uuid))
        query = select(*self._columns()).where(self._model.id == any_(ids_array))
        rows = [self._row(wanted[f["id"]], f) for f in session.execute(query).mappings()]
        return Snapshot.of(ids, rows)

    def write(self, tx: ManagedTransaction, rows: list[dict[str, Any]]) -> set[str]:
        if not (self._parent or self._links or self._chain):
            tx.run(self._write, rows=rows).consume()
            return set()
        written = {record["id"] for record in tx.run(self._write, rows=rows)}
        passed = [row for row in rows if row["id"] in written]
        if not passed:
            return set()
        waiting: set[str] = set()
        if self._parent:
            parent = self._parent
            statement = cypher.parent_link(self.label, parent.label, parent.rel_type)
            records = tx.run(statement, rows=passed, edge_hash=EDGE_HASH)
            waiting |= {record["id"] for record in records}
        for link in self._links:
            statement = cypher.link_set(self.label, link.rel_type, link.target_label, link.key)
            waiting |= {record["id"] for record in tx.run(statement, rows=passed)}
        if self._chain:
            self._write_chains(tx, self._chain, passed)
        return waiting

    def _write_chains(
        self, tx: ManagedTransaction, chain: ChainText, rows: list[dict[str, Any]]
    ) -> None:
        chains = {row["parent_id"]: row["siblings"] for row in rows}
        params = [{"parent_id": parent, "ids": ids} for parent, ids in chains.items()]
        tx.run(chain.from_rows, chains=params, edge_hash=EDGE_HASH).consume()

    def remove(
        self, tx: ManagedTransaction, ids: list[str], payloads: list[dict[str, Any]]
    ) -> None:
        if not self._chain:
            tx.run(self._remove, ids=ids).consume()
            return
        parent_ids = [record["id"] for record in tx.run(self._chain.parents, ids=ids)]
        tx.run(self._remove, ids=ids).consume()
        tx.run(self._chain.from_graph, parent_ids=parent_ids, edge_hash=EDGE_HASH).consume()
