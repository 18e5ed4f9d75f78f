"""A course's tree from the graph (which children, in which order) with SQL rows for their fields.

Each level is keyed by (parent id, parent's SQL version): the graph answers a parent's children
once it holds that version and has been given every child SQL lists under it at the child's own
version (sync_state; a child's event writes its link to the parent, so a parent applied before
its children would otherwise list none). SQL answers until then and whenever the graph is
unavailable (see Federated). A link lost from the graph behind the product's back stays lost in
the answer until reconciliation repairs it: the graph is the tree's authority once given it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.events import EntityType
from persistence.graph.course_tree import Level, child_ids
from persistence.sql.models import Chapter, Concept, Reading, Skill, Theory, Video
from persistence.sql.reads.synced import with_synced_version
from resolvers.loaders import courses
from resolvers.loaders.federated import Federated, graph_read

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import QueryableAttribute

    from resolvers.resources import ApiResources

__all__ = ["CHAPTERS", "READINGS", "SKILLS", "THEORIES", "THEORY_CONCEPTS", "VIDEOS", "TreeKey"]

TreeKey = tuple[str, int]
# The children of the given parents, as (parent id, child row), in the children's order.
ChildQuery = Callable[[list[uuid.UUID]], "Select[uuid.UUID, Any]"]
# the most children one parent lists (an import holds far fewer)
MAX_CHILDREN = 500


@dataclass(frozen=True)
class Children:
    """One level of the tree: the graph's links, and the SQL rows and their sync_state."""

    level: Level
    entity_type: EntityType
    entity_id: QueryableAttribute[uuid.UUID]  # the child's id column, sync_state's key
    query: ChildQuery


def _parents(keys: list[TreeKey]) -> list[uuid.UUID]:
    return [uuid.UUID(parent_id) for parent_id, _ in keys]


def _given_all(group: list[Any]) -> bool:
    """The graph was given every child at (at least) the version SQL holds."""
    return all(synced is not None and synced >= child.version for _, child, synced in group)


def _from_graph(
    children: Children,
) -> Callable[[ApiResources, list[TreeKey]], Awaitable[list[list[Any] | None]]]:
    async def batch(resources: ApiResources, keys: list[TreeKey]) -> list[list[Any] | None]:
        found = await graph_read(resources, child_ids, keys, level=children.level, cap=MAX_CHILDREN)
        held = [key for key in keys if key in found]
        if not held:
            return [None] * len(keys)
        query = with_synced_version(
            children.query(_parents(held)),
            entity_type=children.entity_type,
            entity_id=children.entity_id,
        )
        groups = await courses.grouped_rows(resources, query, _parents(held))
        answers: dict[TreeKey, list[Any]] = {}
        for key, group in zip(held, groups, strict=True):
            if _given_all(group):
                rows = {str(child.id): child for _, child, _ in group}
                answers[key] = [rows[i] for i in found[key] if i in rows]
        return [answers.get(key) for key in keys]

    return batch


def _from_sql(
    children: Children,
) -> Callable[[ApiResources, list[TreeKey]], Awaitable[list[list[Any]]]]:
    async def batch(resources: ApiResources, keys: list[TreeKey]) -> list[list[Any]]:
        return await courses.pairs(resources, children.query(_parents(keys)), _parents(keys))

    return batch


def _level(children: Children) -> Federated[TreeKey, list[Any]]:
    return Federated(_from_graph(children), _from_sql(children))


CHAPTERS: Federated[TreeKey, list[Chapter]] = _level(
    Children(
        Level("Course", "COVERS_CHAPTER", "Chapter", "order_index"),
        EntityType.CHAPTER,
        Chapter.id,
        courses.chapters_of,
    )
)
THEORIES: Federated[TreeKey, list[Theory]] = _level(
    Children(
        Level("Chapter", "HAS_THEORY", "Theory", "order_index"),
        EntityType.THEORY,
        Theory.id,
        courses.theories_of,
    )
)
SKILLS: Federated[TreeKey, list[Skill]] = _level(
    Children(
        Level("Theory", "HAS_SKILL", "Skill", "name"), EntityType.SKILL, Skill.id, courses.skills_of
    )
)
THEORY_CONCEPTS: Federated[TreeKey, list[Concept]] = _level(
    Children(
        Level("Theory", "HAS_CONCEPT", "Concept", "name"),
        EntityType.CONCEPT,
        Concept.id,
        courses.concepts_of,
    )
)
READINGS: Federated[TreeKey, list[Reading]] = _level(
    Children(
        Level("Theory", "HAS_READING", "Reading", "order_index"),
        EntityType.READING,
        Reading.id,
        courses.readings_of,
    )
)
VIDEOS: Federated[TreeKey, list[Video]] = _level(
    Children(
        Level("Theory", "HAS_VIDEO", "Video", "order_index"),
        EntityType.VIDEO,
        Video.id,
        courses.videos_of,
    )
)
