"""Learning path queries and authoring mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.ids import uuid_or_none
from resolvers.commands import PathDraft, PathItem
from resolvers.loaders.json_reads import Picked, path_by_id
from resolvers.loaders.path_items import path_with_items
from resolvers.paths import create_path, delete_path, path_page, set_path_items
from schema.info import Info
from schema.inputs import command, optional
from schema.limits import page_size
from schema.payloads import SyncedPayload
from schema.sql_answers import read_of
from schema.sql_subtrees import CONCEPT_SUBTREE, PATH_SUBTREE, built, selects_below
from schema.types.enums import Difficulty
from schema.types.pagination import After, Connection, First, build_connection, decode_cursor
from schema.types.path import LearningPathType

__all__ = ["CreateLearningPathInput", "PathItemInput", "PathMutation", "PathQuery"]


@strawberry.input(description="A concept at its place in a path; the list order is the order.")
class PathItemInput:
    concept_id: strawberry.ID = strawberry.field(description="The concept.")
    is_required: bool = strawberry.field(
        default=True, description="Whether the path's progress counts it."
    )


@strawberry.input(description="A new learning path.")
class CreateLearningPathInput:
    title: str = strawberry.field(description="Unique among learning paths.")
    difficulty: Difficulty = strawberry.field(description="How hard it is.")
    description: str = strawberry.field(default="", description="What it leads to.")
    category: str | None = optional("Its category.")
    estimated_hours: float | None = optional("Expected study time in hours.")
    target_audience: str | None = optional("Who it is for.")
    items: list[PathItemInput] = strawberry.field(
        default_factory=list, description="Concepts in learning order."
    )


@strawberry.type(description="The result of creating or changing a path.")
class LearningPathPayload(SyncedPayload):
    path: LearningPathType | None = strawberry.field(
        default=None, description="The path as written; null on failure."
    )


@strawberry.type(description="The result of deleting a path.")
class LearningPathDeletion(SyncedPayload):
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the deleted path; null on failure."
    )


@strawberry.type
class PathQuery:
    @strawberry.field(description="Learning paths by title, paginated.")
    async def learning_paths(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[LearningPathType]:
        start = decode_cursor(after)
        page = await path_page(info.context, offset=start, limit=page_size(info, first))
        return build_connection(
            page.rows, start=start, total=page.total, to_node=LearningPathType.from_row
        )

    @strawberry.field(description="A learning path by id.")
    async def learning_path(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The path's id.")],
    ) -> LearningPathType | None:
        path_id = uuid_or_none(id)
        if path_id is None:
            return None
        pick = read_of(PATH_SUBTREE, info)
        if selects_below(info, "concepts"):  # its items are read with it, their order meanwhile
            concepts = read_of(CONCEPT_SUBTREE, info, "concepts", "concept")
            found = await path_with_items(info.context, path_id, pick, concepts)
        else:
            viewer = info.context.viewer_id
            found = await info.context.loaders.of(path_by_id).load(Picked(path_id, pick, viewer))
        return built(PATH_SUBTREE, found) if found else None


@strawberry.type
class PathMutation:
    @strawberry.mutation(description="Create a learning path with its concepts (teachers, admins).")
    async def create_learning_path(
        self,
        info: Info,
        input: Annotated[CreateLearningPathInput, strawberry.argument(description="The new path.")],
    ) -> LearningPathPayload:
        written = await create_path(info.context, command(input, PathDraft))
        return LearningPathPayload(
            path=LearningPathType.from_row(written.path), sync_token=written.sync_token
        )

    @strawberry.mutation(description="Replace a path's concepts, in order (teachers, admins).")
    async def set_learning_path_concepts(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The path's id.")],
        items: Annotated[
            list[PathItemInput],
            strawberry.argument(
                description="Every concept of the path, in learning order (replaces the old list)."
            ),
        ],
    ) -> LearningPathPayload:
        written = await set_path_items(
            info.context, id, [command(item, PathItem) for item in items]
        )
        return LearningPathPayload(
            path=LearningPathType.from_row(written.path), sync_token=written.sync_token
        )

    @strawberry.mutation(description="Delete a learning path (teachers, admins).")
    async def delete_learning_path(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The path's id.")],
    ) -> LearningPathDeletion:
        deleted = await delete_path(info.context, id)
        return LearningPathDeletion(
            deleted_id=strawberry.ID(str(deleted.deleted_id)), sync_token=deleted.sync_token
        )
