"""What the graph-backed fields do: walks from Neo4j, answered from SQL when it is down.

Every read names the field it serves (`field`, a response path such as "concept.related"):
when SQL had to answer it, the field is listed in `context.degraded_fields`, which the
response's `extensions.degraded` reports.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from graphql import GraphQLError

from domain.learning_order import learning_order
from persistence.graph import walks
from resolvers.concepts import concept_by_name, concepts_by_ids
from resolvers.loaders import graph as fields
from resolvers.loaders.federated import Federated, graph_read
from resolvers.loaders.learning import paths_by_id

if TYPE_CHECKING:
    from persistence.graph.records import RelationRecord
    from persistence.sql.models import Concept, LearningPath
    from resolvers.context import Context

__all__ = [
    "Neighborhood",
    "SharedConcept",
    "chain",
    "concept_ids_to_rows",
    "course_level",
    "linked",
    "neighborhood",
    "paths_containing",
    "paths_of_concept",
    "prerequisite_route",
    "relations",
    "shared_concepts",
    "walk",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Neighborhood:
    concepts: list[Concept]
    edges: list[RelationRecord]


@dataclass(frozen=True)
class SharedConcept:
    concept: Concept
    paths: list[LearningPath]


async def _load(context: Context, field: str, batch: Federated[K, V], key: K) -> V:
    answer = await context.loaders.of(batch).load(key)
    if answer.degraded:
        context.note_degraded(field)
    return answer.value


async def concept_ids_to_rows(context: Context, ids: list[str]) -> list[Concept]:
    """Concepts for graph ids, in the same order, skipping any SQL no longer has."""
    return await concepts_by_ids(context, [uuid.UUID(value) for value in ids])


async def _path_rows(context: Context, ids: list[str]) -> list[LearningPath]:
    found = await context.loaders.of(paths_by_id).load_many([uuid.UUID(value) for value in ids])
    return [path for path in found if path is not None]


async def walk(
    context: Context, field: str, concept_id: str, depth: int, *, dependents: bool = False
) -> list[str]:
    """The ids of the prerequisites (or dependents) up to depth, nearest first, no
    duplicates."""
    batch = fields.DEPENDENTS if dependents else fields.PREREQUISITES
    return await _load(context, field, batch, (concept_id, depth))


async def chain(context: Context, field: str, concept_id: str) -> list[str]:
    """The ids of every prerequisite within the traversal bound, each after its own
    prerequisites."""
    nodes = await _load(context, field, fields.CHAIN, concept_id)
    return learning_order(nodes)[: context.settings.max_page_size]


async def linked(context: Context, field: str, concept_id: str, *, link: str) -> list[str]:
    """The ids of the concepts one link away: link is "related" (either direction) or
    "builds_upon"."""
    batch = fields.RELATED if link == "related" else fields.BUILDS_UPON
    return await _load(context, field, batch, concept_id)


async def relations(context: Context, field: str, concept_id: str) -> list[RelationRecord]:
    return await _load(context, field, fields.RELATIONS, concept_id)


async def paths_of_concept(context: Context, field: str, concept_id: str) -> list[LearningPath]:
    """The learning paths that contain a concept, by title."""
    return await _path_rows(
        context, await _load(context, field, fields.PATHS_OF_CONCEPT, concept_id)
    )


async def course_level(
    context: Context, field: str, level: Federated[tuple[str, int], list[V]], key: tuple[str, int]
) -> list[V]:
    """One level of a course's tree under (parent id, its SQL version), graph first."""
    return await _load(context, field, level, key)


def unknown_concept(argument: str, name: str) -> GraphQLError:
    return GraphQLError(
        f"no concept named {name}", extensions={"code": "NOT_FOUND", "field": argument}
    )


async def _named(context: Context, argument: str, name: str) -> Concept:
    concept = await concept_by_name(context, name)
    if concept is None:
        raise unknown_concept(argument, name)
    return concept


async def paths_containing(context: Context, field: str, name: str) -> list[LearningPath]:
    concept = await _named(context, "conceptName", name)
    return await paths_of_concept(context, field, str(concept.id))


async def neighborhood(context: Context, name: str, depth: int) -> Neighborhood:
    """Concepts within depth links of any kind, nearest first (capped), and their links."""
    concept = await _named(context, "name", name)
    found = await graph_read(
        context.resources,
        walks.neighborhood,
        str(concept.id),
        depth=depth,
        cap=context.settings.max_page_size,
    )
    if found is None:  # not in the graph yet
        return Neighborhood([concept], [])
    return Neighborhood(await concept_ids_to_rows(context, found.node_ids), found.edges)


async def prerequisite_route(context: Context, source: str, target: str) -> list[Concept]:
    """The shortest PREREQUISITE chain from source to target in learning order, or []."""
    start, end = await _named(context, "from", source), await _named(context, "to", target)
    if start.id == end.id:
        return [start]
    ids = await graph_read(
        context.resources,
        walks.prerequisite_route,
        str(start.id),
        str(end.id),
        max_depth=context.settings.max_traversal_depth,
    )
    return await concept_ids_to_rows(context, ids)


async def shared_concepts(context: Context, min_paths: int, limit: int) -> list[SharedConcept]:
    """Concepts in at least min_paths paths, most shared first."""
    found = await graph_read(
        context.resources, walks.shared_concepts, min_paths=min_paths, cap=limit
    )
    concepts = await concept_ids_to_rows(context, [record.concept_id for record in found])
    path_ids = list(dict.fromkeys(path_id for record in found for path_id in record.path_ids))
    paths = {str(path.id): path for path in await _path_rows(context, path_ids)}
    by_id = {str(row.id): row for row in concepts}
    return [
        SharedConcept(by_id[record.concept_id], [paths[p] for p in record.path_ids if p in paths])
        for record in found
        if record.concept_id in by_id
    ]
