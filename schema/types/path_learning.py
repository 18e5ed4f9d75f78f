"""Learner-facing fields of a LearningPath: the caller's enrollment."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import TYPE_CHECKING

import strawberry

from resolvers.loaders.learning import enrollment_of
from schema.info import Info
from schema.types.progress import PathEnrollmentType
from schema.types.unread import UNREAD, Unread

__all__ = ["PathLearnerFields"]

MaybeEnrollment = PathEnrollmentType | None


@strawberry.type
class PathLearnerFields:
    """Mixed into the LearningPath type."""

    if TYPE_CHECKING:
        id: strawberry.ID

    # The caller's enrollment when the path's read held it (schema.sql_subtrees); UNREAD
    # until then.
    known_enrollment: strawberry.Private[PathEnrollmentType | Unread | None] = UNREAD

    @strawberry.field(
        description="The signed-in user's enrollment; null when not enrolled.",
        graphql_type=PathEnrollmentType | None,
    )
    def my_enrollment(self, info: Info) -> MaybeEnrollment | Awaitable[MaybeEnrollment]:
        # Not async: a path whose read held the enrollment answers at once, without a task.
        if not isinstance(self.known_enrollment, Unread):
            return self.known_enrollment
        return self._load_my_enrollment(info)

    async def _load_my_enrollment(self, info: Info) -> MaybeEnrollment:
        principal = info.context.principal
        if principal is None:
            return None
        key = (principal.user_id, uuid.UUID(str(self.id)))
        row = await info.context.loaders.of(enrollment_of).load(key)
        return PathEnrollmentType.from_row(row) if row else None
