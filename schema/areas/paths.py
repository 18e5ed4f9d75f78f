"""Learning path queries and authoring mutations."""

from __future__ import annotations

import uuid

import strawberry

from resolvers.loaders.learning import paths_by_id
from resolvers.paths import create_path, delete_path, path_page, set_path_items
from schema.errors import UserError
from schema.info import Info
from schema.limits import page_size
from schema.payloads import input_fields, returning_errors
from schema.types.enums import Difficulty
from schema.types.pagination import Connection, build_connection, decode_cursor
from schema.types.path import LearningPathType

__all__ = ["CreateLearningPathInput", "PathItemInput", "PathMutation", "PathQuery"]


@strawberry.input(description="A concept at its place in a path; the list order is the order.")
class PathItemInput:
    concept_id: strawberry.ID
    is_required: bool = True


@strawberry.input
class CreateLearningPathInput:
    title: str = strawberry.field(description="Unique among learning paths.")
    difficulty: Difficulty
    description: str = ""
    category: str | None = strawberry.UNSET
    estimated_hours: float | None = strawberry.UNSET
    target_audience: str | None = strawberry.UNSET
    items: list[PathItemInput] = strawberry.field(
        default_factory=list, description="Concepts in learning order."
    )


@strawberry.type
class LearningPathPayload:
    path: LearningPathType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LearningPathDeletion:
    deleted_id: strawberry.ID | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _items(items: list[PathItemInput]) -> list[dict[str, object]]:
    return [input_fields(item) for item in items]


@strawberry.type
class PathQuery:
    @strawberry.field(description="Learning paths by title, paginated.")
    async def learning_paths(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[LearningPathType]:
        start = decode_cursor(after)
        page = await path_page(info.context, offset=start, limit=page_size(info, first))
        return build_connection(
            page.rows, start=start, total=page.total, to_node=LearningPathType.from_row
        )

    @strawberry.field(description="A learning path by id.")
    async def learning_path(self, info: Info, id: strawberry.ID) -> LearningPathType | None:
        try:
            path_id = uuid.UUID(id)
        except ValueError:
            return None
        row = await info.context.loaders.of(paths_by_id).load(path_id)
        return LearningPathType.from_row(row) if row else None


@strawberry.type
class PathMutation:
    @strawberry.mutation(description="Create a learning path with its concepts (teachers, admins).")
    async def create_learning_path(
        self, info: Info, input: CreateLearningPathInput
    ) -> LearningPathPayload:
        async def work() -> LearningPathPayload:
            fields = {**input_fields(input), "items": _items(input.items)}
            written = await create_path(info.context, fields)
            return LearningPathPayload(
                path=LearningPathType.from_row(written.path), sync_token=written.sync_token
            )

        return await returning_errors(work, LearningPathPayload)

    @strawberry.mutation(description="Replace a path's concepts, in order (teachers, admins).")
    async def set_learning_path_concepts(
        self, info: Info, id: strawberry.ID, items: list[PathItemInput]
    ) -> LearningPathPayload:
        async def work() -> LearningPathPayload:
            written = await set_path_items(info.context, id, _items(items))
            return LearningPathPayload(
                path=LearningPathType.from_row(written.path), sync_token=written.sync_token
            )

        return await returning_errors(work, LearningPathPayload)

    @strawberry.mutation(description="Delete a learning path (teachers, admins).")
    async def delete_learning_path(self, info: Info, id: strawberry.ID) -> LearningPathDeletion:
        async def work() -> LearningPathDeletion:
            deleted = await delete_path(info.context, id)
            return LearningPathDeletion(
                deleted_id=strawberry.ID(str(deleted.deleted_id)), sync_token=deleted.sync_token
            )

        return await returning_errors(work, LearningPathDeletion)
