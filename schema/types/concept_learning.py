"""Learner-facing fields of a Concept: its lessons, quizzes and the caller's progress on it."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import TYPE_CHECKING

import strawberry

from resolvers.loaders.learning import lessons_by_concept, progress_of, quizzes_by_concept
from schema.info import Info
from schema.types.lesson import LessonType
from schema.types.progress import ConceptProgressType
from schema.types.quiz import QuizType
from schema.types.unread import UNREAD, Unread

__all__ = ["ConceptLearnerFields"]

MaybeProgress = ConceptProgressType | None


@strawberry.type
class ConceptLearnerFields:
    """Mixed into ConceptType."""

    if TYPE_CHECKING:
        id: strawberry.ID

    # Its quizzes when the concept's read held them (a concept's views); UNREAD until then.
    known_quizzes: strawberry.Private[list[QuizType] | Unread] = UNREAD

    @strawberry.field(
        description="Quizzes on this concept (correct answers only for their author and admins).",
        graphql_type=list[QuizType],
    )
    def quizzes(self, info: Info) -> list[QuizType] | Awaitable[list[QuizType]]:
        # Not async: a concept read with its quizzes answers at once, without a task.
        if not isinstance(self.known_quizzes, Unread):
            return self.known_quizzes
        return self._load_quizzes(info)

    async def _load_quizzes(self, info: Info) -> list[QuizType]:
        rows = await info.context.loaders.of(quizzes_by_concept).load(uuid.UUID(str(self.id)))
        return [QuizType.from_row(row) for row in rows]

    # The caller's progress when the concept's read held it (schema.sql_subtrees); UNREAD
    # until then.
    known_progress: strawberry.Private[ConceptProgressType | Unread | None] = UNREAD

    @strawberry.field(
        description="The signed-in user's progress here; null when none or anonymous.",
        graphql_type=ConceptProgressType | None,
    )
    def my_progress(self, info: Info) -> MaybeProgress | Awaitable[MaybeProgress]:
        # Not async: a concept whose list already read it answers at once, without a task.
        if not isinstance(self.known_progress, Unread):
            return self.known_progress
        return self._load_my_progress(info)

    async def _load_my_progress(self, info: Info) -> MaybeProgress:
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
