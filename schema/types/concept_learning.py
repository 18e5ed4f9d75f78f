"""Learner-facing fields of a Concept: its lessons, quizzes and the caller's progress on it."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import strawberry

from resolvers.loaders.learning import lessons_by_concept, progress_of, quizzes_by_concept
from schema.info import Info
from schema.types.lesson import LessonType
from schema.types.progress import ConceptProgressType
from schema.types.quiz import QuizType

__all__ = ["ConceptLearnerFields"]


@strawberry.type
class ConceptLearnerFields:
    """Mixed into ConceptType."""

    if TYPE_CHECKING:
        id: strawberry.ID

    @strawberry.field(description="Quizzes on this concept (correct answers only for authors).")
    async def quizzes(self, info: Info) -> list[QuizType]:
        rows = await info.context.loaders.of(quizzes_by_concept).load(uuid.UUID(str(self.id)))
        return [QuizType.from_row(row) for row in rows]

    @strawberry.field(
        description="The signed-in user's progress here; null when none or anonymous."
    )
    async def my_progress(self, info: Info) -> ConceptProgressType | None:
        principal = info.context.principal
        if principal is None:
            return None
        key = (principal.user_id, uuid.UUID(str(self.id)))
        row = await info.context.loaders.of(progress_of).load(key)
        return ConceptProgressType.from_row(row) if row else None

    @strawberry.field(description="The concept's lessons, in order.")
    async def lessons(self, info: Info) -> list[LessonType]:
        rows = await info.context.loaders.of(lessons_by_concept).load(uuid.UUID(str(self.id)))
        return [LessonType.from_row(row) for row in rows]
