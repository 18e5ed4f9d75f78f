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
from typing import TYPE_CHECKING, Any, TypeVar

from domain.events import EntityType
from persistence.graph.course_tree import Level, child_ids
from persistence.sql.reads.synced import synced_versions
from resolvers.loaders import courses
from resolvers.loaders.federated import Federated, graph_read
from resolvers.loaders.registry import read_session
from resolvers.resources import ApiResources

if TYPE_CHECKING:
    from persistence.sql.models import Chapter, Concept, Reading, Skill, Theory, Video

__all__ = ["CHAPTERS", "READINGS", "SKILLS", "THEORIES", "THEORY_CONCEPTS", "VIDEOS", "TreeKey"]

R = TypeVar("R")
TreeKey = tuple[str, int]
ParentBatch = Callable[[ApiResources, list[uuid.UUID]], Awaitable[list[list[R]]]]
# the most children one parent lists (an import holds far fewer)
MAX_CHILDREN = 500


def _from_graph(
    level: Level, child_type: EntityType, by_parent: ParentBatch[Any]
) -> Callable[[ApiResources, list[TreeKey]], Awaitable[list[list[Any] | None]]]:
    async def batch(resources: ApiResources, keys: list[TreeKey]) -> list[list[Any] | None]:
        found = await graph_read(resources, child_ids, keys, level=level, cap=MAX_CHILDREN)
        held = [key for key in keys if key in found]
        if not held:
            return [None] * len(keys)
        children = await by_parent(resources, [uuid.UUID(parent_id) for parent_id, _ in held])
        ids = [str(child.id) for group in children for child in group]
        async with read_session(resources) as session:
            synced = await synced_versions(session, entity_type=child_type, entity_ids=ids)
        answers: dict[TreeKey, list[Any]] = {}
        for key, group in zip(held, children, strict=True):
            if all(synced.get(str(child.id), -1) >= child.version for child in group):
                rows = {str(child.id): child for child in group}
                answers[key] = [rows[i] for i in found[key] if i in rows]
        return [answers.get(key) for key in keys]

    return batch


def _from_sql(
    by_parent: ParentBatch[R],
) -> Callable[[ApiResources, list[TreeKey]], Awaitable[list[list[R]]]]:
    async def batch(resources: ApiResources, keys: list[TreeKey]) -> list[list[R]]:
        return await by_parent(resources, [uuid.UUID(parent_id) for parent_id, _ in keys])

    return batch


def _level(
    level: Level, child_type: EntityType, by_parent: ParentBatch[R]
) -> Federated[TreeKey, list[R]]:
    return Federated(_from_graph(level, child_type, by_parent), _from_sql(by_parent))


CHAPTERS: Federated[TreeKey, list[Chapter]] = _level(
    Level("Course", "COVERS_CHAPTER", "Chapter", "order_index"),
    EntityType.CHAPTER,
    courses.chapters_by_course,
)
THEORIES: Federated[TreeKey, list[Theory]] = _level(
    Level("Chapter", "HAS_THEORY", "Theory", "order_index"),
    EntityType.THEORY,
    courses.theories_by_chapter,
)
SKILLS: Federated[TreeKey, list[Skill]] = _level(
    Level("Theory", "HAS_SKILL", "Skill", "name"), EntityType.SKILL, courses.skills_by_theory
)
THEORY_CONCEPTS: Federated[TreeKey, list[Concept]] = _level(
    Level("Theory", "HAS_CONCEPT", "Concept", "name"),
    EntityType.CONCEPT,
    courses.concepts_by_theory,
)
READINGS: Federated[TreeKey, list[Reading]] = _level(
    Level("Theory", "HAS_READING", "Reading", "order_index"),
    EntityType.READING,
    courses.readings_by_theory,
)
VIDEOS: Federated[TreeKey, list[Video]] = _level(
    Level("Theory", "HAS_VIDEO", "Video", "order_index"), EntityType.VIDEO, courses.videos_by_theory
)
