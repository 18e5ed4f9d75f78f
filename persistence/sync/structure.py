"""Where a node hangs in a structure: a parent edge, link sets and a sibling chain.

Declared on a NodeMirror; read in the same SQL statement as the node's own columns (link
items as JSON and siblings in order, as correlated subqueries).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ScalarSelect, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from persistence.sync import cypher
from persistence.sync.hashing import content_hash

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "EDGE_HASH",
    "Chain",
    "ChainText",
    "LinkSet",
    "ParentLink",
    "chain_text",
    "link_item",
    "link_items",
    "parse_uuids",
    "siblings",
]

EDGE_HASH = content_hash({})


@dataclass(frozen=True)
class ParentLink:
    """(:label {id: row's column})-[:rel_type]->(node), moved when the column changes."""

    label: str
    rel_type: str
    column: Any


@dataclass(frozen=True)
class LinkSet:
    """(node)-[:rel_type]->(:target_label) for each row of a link table; `properties` go on it."""

    rel_type: str
    target_label: str
    owner: Any
    target: Any
    properties: tuple[Any, ...] = ()

    @property
    def key(self) -> str:
        return self.rel_type.lower()


@dataclass(frozen=True)
class Chain:
    """(a)-[:rel_type]->(b) between consecutive children of one parent, by order_index then id."""

    rel_type: str


@dataclass(frozen=True)
class ChainText:
    parents: str
    from_rows: str
    from_graph: str


def chain_text(label: str, parent: ParentLink, chain: Chain) -> ChainText:
    names = (label, parent.label, parent.rel_type)
    return ChainText(
        parents=cypher.parents_of(*names),
        from_rows=cypher.chain_from_rows(*names, chain.rel_type),
        from_graph=cypher.chain_from_graph(*names, chain.rel_type),
    )


def parse_uuids(ids: Sequence[str]) -> dict[str, uuid.UUID]:
    """The ids that are UUIDs; any other id cannot name a row, so it counts as gone."""
    parsed: dict[str, uuid.UUID] = {}
    for value in ids:
        try:
            parsed[value] = uuid.UUID(value)
        except ValueError:
            continue
    return parsed


def link_items(model: Any, link: LinkSet) -> ScalarSelect[Any]:
    fields: list[Any] = [literal_column("'id'"), link.target]
    for column in link.properties:
        fields += [literal_column(f"'{column.key}'"), column]
    items = func.coalesce(func.json_agg(func.json_build_object(*fields)), literal_column("'[]'"))
    return select(items).where(link.owner == model.id).scalar_subquery()


def siblings(model: Any, parent: ParentLink) -> ScalarSelect[Any]:
    sibling = aliased(model)
    ordered = aggregate_order_by(sibling.id, sibling.order_index, sibling.id)
    same_parent = getattr(sibling, parent.column.key) == parent.column
    return select(func.array_agg(ordered)).where(same_parent).scalar_subquery()


def link_item(item: Mapping[str, Any]) -> dict[str, Any]:
    properties = {name: value for name, value in item.items() if name != "id"}
    return {
        "id": str(item["id"]),
        "properties": properties,
        "content_hash": content_hash(properties),
    }
