"""Learner-facing fields of a LearningPath: the caller's enrollment."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import strawberry

from resolvers.loaders.learning import enrollment_of
from schema.info import Info
from schema.types.progress import PathEnrollmentType

__all__ = ["PathLearnerFields"]


@strawberry.type
class PathLearnerFields:
    """Mixed into the LearningPath type."""

    if TYPE_CHECKING:
        id: strawberry.ID

    @strawberry.field(description="The signed-in user's enrollment; null when not enrolled.")
    async def my_enrollment(self, info: Info) -> PathEnrollmentType | None:
        principal = info.context.principal
        if principal is None:
            return None
        key = (principal.user_id, uuid.UUID(str(self.id)))
        row = await info.context.loaders.of(enrollment_of).load(key)
        return PathEnrollmentType.from_row(row) if row else None
