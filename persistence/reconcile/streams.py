"""Both sides of one entity type as streams in key order, read page by page (keyset paging).

A page is read in a short transaction of its own, so memory and locks stay flat however much
data there is. SQL rows come from the mirror's own snapshot: the state the sync would write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from persistence.reconcile.items import GraphItem, SourceItem, graph_properties, row_properties
from persistence.sync.targets import Target, source_key_page

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from neo4j import Driver, ManagedTransaction
    from sqlalchemy.orm import Session, sessionmaker

    from persistence.sync.mirror import Mirror

__all__ = ["graph_items", "source_item", "source_items"]


def source_item(row: dict[str, Any], structure: dict[str, list[str]] | None = None) -> SourceItem:
    return SourceItem(
        id=row["id"],
        version=row["version"],
        content_hash=row["content_hash"],
        properties=row_properties(row),
        structure=structure,
    )


def _source_page(session: Session, mirror: Mirror, keys: list[str]) -> list[SourceItem]:
    by_id = {row["id"]: row for row in mirror.snapshot(session, keys).rows}
    return [source_item(by_id[key], mirror.structure(by_id[key])) for key in keys if key in by_id]


def source_items(
    sessions: sessionmaker[Session],
    mirror: Mirror,
    *,
    batch_size: int,
    entity_ids: Sequence[str] | None = None,
) -> Iterator[SourceItem]:
    """PostgreSQL's rows of one type in key order: WHERE key > :last ORDER BY key LIMIT n."""
    after: str | None = None
    while True:
        with sessions() as session:
            query = source_key_page(
                mirror.target, after=after, limit=batch_size, entity_ids=entity_ids
            )
            keys = [":".join(str(part) for part in row) for row in session.execute(query)]
            page = _source_page(session, mirror, keys) if keys else []
        yield from page
        if len(keys) < batch_size:
            return
        after = keys[-1]


def _sorted(structure: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
    if structure is None:
        return None
    return {name: sorted(ids) for name, ids in structure.items()}


def _graph_page(tx: ManagedTransaction, text: str, params: dict[str, Any]) -> list[GraphItem]:
    return [
        GraphItem(
            id=record["id"],
            version=record["version"],
            content_hash=record["content_hash"],
            properties=graph_properties(record["properties"]),
            removal=record["removal"] or {},
            structure=_sorted(record["structure"]),
        )
        for record in tx.run(text, params)
    ]


def graph_items(
    driver: Driver,
    target: Target,
    *,
    database: str,
    batch_size: int,
    entity_ids: Sequence[str] | None = None,
) -> Iterator[GraphItem]:
    """The graph's copies of one type in key order: WHERE id > $after ORDER BY id LIMIT $n."""
    text = target.graph_page(with_ids=entity_ids is not None)
    params: dict[str, Any] = {"after": "", "limit": batch_size, "ids": list(entity_ids or [])}
    while True:
        with driver.session(database=database) as graph:
            page = graph.execute_read(_graph_page, text, params)
        yield from page
        if len(page) < batch_size:
            return
        params["after"] = page[-1].id
