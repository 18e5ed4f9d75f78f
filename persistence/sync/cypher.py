"""Cypher text for mirrored nodes that hang in a structure: parent edges, link sets, chains.

Every label and relationship type is interpolated from code constants, never from input (they
cannot be parameters); every value is a `$parameter`. Each text is one UNWIND over a batch.
"""

from __future__ import annotations

__all__ = [
    "between_ends",
    "chain_from_graph",
    "chain_from_rows",
    "guarded_node",
    "link_set",
    "parent_link",
    "parents_of",
    "remove_nodes",
]


def guarded_node(label: str, extra_cypher: str = "") -> str:
    """MERGE each row's node; set it only if the row is not older. Returns the ids written.

    `extra_cypher` (code, never input) runs on each node written, with `n` and `row` bound.
    """
    return f"""
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
WITH n, row WHERE n.version IS NULL OR n.version <= row.version
SET n += row.properties, n.version = row.version, n.content_hash = row.content_hash
{extra_cypher}
RETURN row.id AS id
"""


def between_ends(source_label: str, rel_type: str, target_label: str, set_cypher: str) -> str:
    """MERGE (source)-[r:rel]->(target) between nodes that exist, under the version guard.

    The ends are matched, never merged: an edge never creates a stub node (its end not synced
    yet, or deleted by a batch that raced this one). Returns the ids of the rows whose edge
    waits for an end the graph does not hold. `set_cypher` (code) sets r from row.
    """
    return f"""
UNWIND $rows AS row
OPTIONAL MATCH (s:{source_label} {{id: row.source_id}})
OPTIONAL MATCH (t:{target_label} {{id: row.target_id}})
CALL (s, t, row) {{
  WITH s, t, row WHERE s IS NOT NULL AND t IS NOT NULL
  MERGE (s)-[r:{rel_type}]->(t)
  WITH r, row WHERE r.version IS NULL OR r.version <= row.version
  {set_cypher}
}}
WITH row WHERE s IS NULL OR t IS NULL
RETURN row.id AS id
"""


def parent_link(label: str, parent_label: str, rel_type: str) -> str:
    """(parent)-[rel]->(node) to the parent the row names; an edge from any other parent goes.
    Returns the ids of the rows whose parent the graph does not hold (no stub is made)."""
    return f"""
UNWIND $rows AS row
MATCH (n:{label} {{id: row.id}})
CALL (n, row) {{
  OPTIONAL MATCH (old:{parent_label})-[r:{rel_type}]->(n) WHERE old.id <> row.parent_id
  DELETE r
}}
OPTIONAL MATCH (p:{parent_label} {{id: row.parent_id}})
CALL (p, n, row) {{
  WITH p, n, row WHERE p IS NOT NULL
  MERGE (p)-[r:{rel_type}]->(n)
  SET r.version = row.version, r.content_hash = $edge_hash
}}
WITH row WHERE p IS NULL
RETURN row.id AS id
"""


def link_set(label: str, rel_type: str, target_label: str, key: str) -> str:
    """(node)-[rel]->(target) exactly for the items in row[key]; other such edges go.
    Returns the ids of the rows with a target the graph does not hold (no stub is made)."""
    return f"""
UNWIND $rows AS row
MATCH (n:{label} {{id: row.id}})
CALL (n, row) {{
  OPTIONAL MATCH (n)-[r:{rel_type}]->(t:{target_label})
  WHERE NOT t.id IN [item IN row.{key} | item.id]
  DELETE r
}}
CALL (n, row) {{
  UNWIND row.{key} AS item
  MATCH (t:{target_label} {{id: item.id}})
  MERGE (n)-[r:{rel_type}]->(t)
  SET r = item.properties, r.version = row.version, r.content_hash = item.content_hash
  RETURN count(*) AS linked
}}
WITH row, linked WHERE linked < size(row.{key})
RETURN row.id AS id
"""


def chain_from_rows(label: str, parent_label: str, parent_rel: str, rel_type: str) -> str:
    """Replace a parent's chain of (a)-[rel]->(b) with consecutive pairs of chain.ids.

    Only nodes the graph holds are linked: a sibling not synced yet relinks the chain when
    its own write comes, and one deleted meanwhile relinks it from the graph (chain_from_graph).
    """
    return f"""
UNWIND $chains AS chain
CALL (chain) {{
  UNWIND chain.ids AS id
  MATCH (:{label} {{id: id}})-[r:{rel_type}]-()
  DELETE r
}}
CALL (chain) {{
  MATCH (:{parent_label} {{id: chain.parent_id}})-[:{parent_rel}]->(:{label})-[r:{rel_type}]-()
  DELETE r
}}
WITH chain
UNWIND range(0, size(chain.ids) - 2) AS i
MATCH (a:{label} {{id: chain.ids[i]}})
MATCH (b:{label} {{id: chain.ids[i + 1]}})
MERGE (a)-[r:{rel_type}]->(b)
SET r.content_hash = $edge_hash
"""


def chain_from_graph(label: str, parent_label: str, parent_rel: str, rel_type: str) -> str:
    """Link a parent's remaining children in order_index order (after some were removed)."""
    return f"""
UNWIND $parent_ids AS parent_id
MATCH (:{parent_label} {{id: parent_id}})-[:{parent_rel}]->(c:{label})
WITH parent_id, c ORDER BY c.order_index, c.id
WITH parent_id, collect(c) AS children
UNWIND range(0, size(children) - 2) AS i
WITH children[i] AS a, children[i + 1] AS b
MERGE (a)-[r:{rel_type}]->(b)
SET r.content_hash = $edge_hash
"""


def parents_of(label: str, parent_label: str, parent_rel: str) -> str:
    return f"""
UNWIND $ids AS id
MATCH (p:{parent_label})-[:{parent_rel}]->(:{label} {{id: id}})
RETURN DISTINCT p.id AS id
"""


def remove_nodes(label: str, cascade: tuple[str, ...]) -> str:
    """DETACH DELETE the nodes and what they contain, as SQL's ON DELETE CASCADE did."""
    if not cascade:
        return f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) DETACH DELETE n"
    return f"""
UNWIND $ids AS id
MATCH (n:{label} {{id: id}})
OPTIONAL MATCH (n)-[:{"|".join(cascade)}*]->(d)
WITH n, collect(DISTINCT d) AS contained
FOREACH (d IN contained | DETACH DELETE d)
DETACH DELETE n
"""
