"""Root queries that walk the knowledge graph: neighbourhoods, routes, shared concepts.

The fields are nullable so that a failing one (null, with its error) leaves the rest of
the response intact. A concept name that names no concept is a field error with code NOT_FOUND (never an empty
answer), so a typo is not mistaken for "no links". When Neo4j is unavailable, pathsContaining
is answered from SQL (see extensions.degraded); the others fail alone with code
GRAPH_UNAVAILABLE, GRAPH_TIMEOUT or GRAPH_ERROR and the rest of the response stays intact.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError

from resolvers import graph_reads
from schema.extensions.degraded import field_path
from schema.info import Info
from schema.limits import checked_depth, page_size
from schema.types.concept import ConceptType
from schema.types.neighborhood import NeighborhoodType, SharedConceptType
from schema.types.pagination import First
from schema.types.path import LearningPathType

__all__ = ["GraphQuery"]


def _checked_min_paths(min_paths: int) -> int:
    if min_paths < 1:
        raise GraphQLError(
            "minPaths must be at least 1", extensions={"code": "VALIDATION", "field": "minPaths"}
        )
    return min_paths


@strawberry.type
class GraphQuery:
    @strawberry.field(
        description="Concepts within depth links of any kind around a concept (nearest first, "
        "at most the server's page size) and the links between them, for drawing. "
        "An unknown name is a NOT_FOUND error."
    )
    async def concept_neighborhood(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The centre concept's unique name.")],
        depth: Annotated[
            int,
            strawberry.argument(
                description="How many links away, 1 to the server's traversal depth."
            ),
        ] = 1,
    ) -> NeighborhoodType | None:
        depth = checked_depth(info, "depth", depth)
        found = await graph_reads.neighborhood(info.context, name, depth)
        return NeighborhoodType.from_result(found)

    @strawberry.field(
        description="The shortest chain of prerequisite links from one concept to another, in "
        "learning order (from first); empty when there is none within the server's traversal "
        "depth. An unknown name is a NOT_FOUND error."
    )
    async def prerequisite_route(
        self,
        info: Info,
        from_: Annotated[
            str,
            strawberry.argument(
                description="The unique name of the concept to start from.", name="from"
            ),
        ],  # `from` is a Python keyword
        to: Annotated[
            str, strawberry.argument(description="The unique name of the concept to reach.")
        ],
    ) -> list[ConceptType] | None:
        rows = await graph_reads.prerequisite_route(info.context, from_, to)
        return [ConceptType.from_row(row) for row in rows]

    @strawberry.field(
        description="The learning paths that contain a concept, by title. "
        "An unknown name is a NOT_FOUND error."
    )
    async def paths_containing(
        self,
        info: Info,
        concept_name: Annotated[str, strawberry.argument(description="The concept's unique name.")],
    ) -> list[LearningPathType] | None:
        rows = await graph_reads.paths_containing(info.context, field_path(info), concept_name)
        return [LearningPathType.from_row(row) for row in rows]

    @strawberry.field(
        description="Concepts that appear in at least minPaths learning paths, most shared "
        "first (then by name), at most `first` (capped by the server's page size)."
    )
    async def shared_concepts(
        self,
        info: Info,
        min_paths: Annotated[
            int,
            strawberry.argument(
                description="The least number of paths a concept must be in, at least 1."
            ),
        ] = 2,
        first: First = None,
    ) -> list[SharedConceptType] | None:
        limit = page_size(info, first)
        found = await graph_reads.shared_concepts(
            info.context, _checked_min_paths(min_paths), limit
        )
        return [SharedConceptType.from_result(shared) for shared in found]
