"""A course's tree from the graph (which children, in which order) with SQL rows for their fields.

Each level is keyed by (parent id, parent's SQL version): the graph answers once it holds that
version, SQL answers until then and whenever the graph is unavailable (see Federated).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import select

from persistence.graph.course_tree import Level, child_ids
from persistence.sql.models import Chapter, Concept, Reading, Skill, Theory, Video
from resolvers.loaders import courses
from resolvers.loaders.federated import Federated, graph_read
from resolvers.loaders.registry import read_session
from resolvers.resources import ApiResources

__all__ = ["CHAPTERS", "READINGS", "SKILLS", "THEORIES", "THEORY_CONCEPTS", "VIDEOS", "TreeKey"]

R = TypeVar("R")
TreeKey = tuple[str, int]
ParentBatch = Callable[[ApiResources, list[uuid.UUID]], Awaitable[list[list[R]]]]
# the most children one parent lists (an import holds far fewer)
MAX_CHILDREN = 500


def _from_graph(
    level: Level, model: Any
) -> Callable[[ApiResources, list[TreeKey]], Awaitable[list[list[Any] | None]]]:
    async def batch(resources: ApiResources, keys: list[TreeKey]) -> list[list[Any] | None]:
        found = await graph_read(resources, child_ids, keys, level=level, cap=MAX_CHILDREN)
        wanted = {uuid.UUID(i) for ids in found.values() for i in ids}
        rows: dict[str, Any] = {}
        if wanted:
            async with read_session(resources) as session:
                selected = await session.scalars(select(model).where(model.id.in_(wanted)))
                rows = {str(row.id): row for row in selected}
        return [
            [rows[i] for i in found[key] if i in rows] if key in found else None for key in keys
        ]

    return batch


def _from_sql(
    by_parent: ParentBatch[R],
) -> Callable[[ApiResources, list[TreeKey]], Awaitable[list[list[R]]]]:
    async def batch(resources: ApiResources, keys: list[TreeKey]) -> list[list[R]]:
        return await by_parent(resources, [uuid.UUID(parent_id) for parent_id, _ in keys])

    return batch


def _level(level: Level, model: Any, by_parent: ParentBatch[R]) -> Federated[TreeKey, list[R]]:
    return Federated(_from_graph(level, model), _from_sql(by_parent))


CHAPTERS: Federated[TreeKey, list[Chapter]] = _level(
    Level("Course", "COVERS_CHAPTER", "Chapter", "order_index"), Chapter, courses.chapters_by_course
)
THEORIES: Federated[TreeKey, list[Theory]] = _level(
    Level("Chapter", "HAS_THEORY", "Theory", "order_index"), Theory, courses.theories_by_chapter
)
SKILLS: Federated[TreeKey, list[Skill]] = _level(
    Level("Theory", "HAS_SKILL", "Skill", "name"), Skill, courses.skills_by_theory
)
THEORY_CONCEPTS: Federated[TreeKey, list[Concept]] = _level(
    Level("Theory", "HAS_CONCEPT", "Concept", "name"), Concept, courses.concepts_by_theory
)
READINGS: Federated[TreeKey, list[Reading]] = _level(
    Level("Theory", "HAS_READING", "Reading", "order_index"), Reading, courses.readings_by_theory
)
VIDEOS: Federated[TreeKey, list[Video]] = _level(
    Level("Theory", "HAS_VIDEO", "Video", "order_index"), Video, courses.videos_by_theory
)
