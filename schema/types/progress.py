"""A learner's progress on concepts and paths, dashboard figures and achievements."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.concepts import concepts_by_ids
from resolvers.loaders.learning import Award, paths_by_id
from schema.info import Info
from schema.types.enums import ProgressStatus
from schema.types.required import required

if TYPE_CHECKING:
    from persistence.sql.models import (
        Achievement,
        Concept,
        ConceptProgress,
        LearningPath,
        PathEnrollment,
    )
    from resolvers.dashboard import DashboardFigures
    from schema.types.concept import ConceptType
    from schema.types.path import LearningPathType

__all__ = [
    "AchievementAwardType",
    "AchievementType",
    "ConceptProgressType",
    "DashboardType",
    "PathEnrollmentType",
    "prefetch_paths",
]

LazyConcept = Annotated["ConceptType", strawberry.lazy("schema.types.concept")]
LazyPath = Annotated["LearningPathType", strawberry.lazy("schema.types.path")]


@strawberry.type(name="ConceptProgress", description="A learner's standing on one concept.")
class ConceptProgressType:
    status: ProgressStatus = strawberry.field(description="Where the learner stands.")
    progress_percent: float = strawberry.field(description="How far along, 0..100.")
    mastery_score: float = strawberry.field(description="Best quiz result so far, 0..1.")
    time_spent_seconds: int = strawberry.field(description="Study time recorded on the concept.")
    completed_at: datetime | None = strawberry.field(
        description="When it was first completed; null until then."
    )
    updated_at: datetime = strawberry.field(description="When the progress last changed.")
    concept_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: ConceptProgress, concept: Concept | None = None) -> ConceptProgressType:
        """concept: its row when the list read it with the progress."""
        return cls(
            status=ProgressStatus(row.status),
            progress_percent=row.progress_percent,
            mastery_score=row.mastery_score,
            time_spent_seconds=row.time_spent_seconds,
            completed_at=row.completed_at,
            updated_at=row.updated_at,
            concept_id=row.concept_id,
            known_concept=None if concept is None else _concept_type(concept),
        )

    # The concept once the list read it with its entries (schema.sql_subtrees).
    known_concept: strawberry.Private[LazyConcept | None] = None

    @strawberry.field(description="The concept this progress is on.", graphql_type=LazyConcept)
    def concept(self, info: Info) -> LazyConcept | Awaitable[LazyConcept]:
        # Not async: a progress entry whose list read its concept answers without a task.
        if self.known_concept is not None:
            return self.known_concept
        return self._load_concept(info)

    async def _load_concept(self, info: Info) -> ConceptType:
        rows = await concepts_by_ids(info.context, [self.concept_id])
        return _concept_type(required(rows[0] if rows else None, "concept"))


def _concept_type(row: Concept) -> ConceptType:
    from schema.types.concept import ConceptType

    return ConceptType.from_row(row)


def _path_type(row: LearningPath) -> LearningPathType:
    from schema.types.path import LearningPathType

    return LearningPathType.from_row(row)


async def prefetch_paths(info: Info, enrollments: Sequence[PathEnrollmentType]) -> None:
    """The paths of all these enrollments in one load, kept on each of them."""
    ids = [enrollment.path_id for enrollment in enrollments]
    rows = await info.context.loaders.of(paths_by_id).load_many(ids)
    for enrollment, row in zip(enrollments, rows, strict=True):
        enrollment.known_path = None if row is None else _path_type(row)


@strawberry.type(name="PathEnrollment", description="A learner on a learning path.")
class PathEnrollmentType:
    status: ProgressStatus = strawberry.field(description="Where the learner stands on the path.")
    progress_percent: float = strawberry.field(description="Share of required concepts done.")
    enrolled_at: datetime = strawberry.field(description="When the learner joined.")
    path_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: PathEnrollment, path: LearningPath | None = None) -> PathEnrollmentType:
        """path: its row when the list read it with the enrollment."""
        return cls(
            status=ProgressStatus(row.status),
            progress_percent=row.progress_percent,
            enrolled_at=row.enrolled_at,
            path_id=row.path_id,
            known_path=None if path is None else _path_type(path),
        )

    # The path once the list read them all in one load (prefetch_paths, schema.sql_subtrees).
    known_path: strawberry.Private[LazyPath | None] = None

    @strawberry.field(description="The learning path.", graphql_type=LazyPath)
    def path(self, info: Info) -> LazyPath | Awaitable[LazyPath]:
        if self.known_path is not None:
            return self.known_path
        return self._load_path(info)

    async def _load_path(self, info: Info) -> LearningPathType:
        row = await info.context.loaders.of(paths_by_id).load(self.path_id)
        return _path_type(required(row, "learning path"))


@strawberry.type(
    name="Achievement",
    description="Something a learner can earn, such as a first completed concept.",
)
class AchievementType:
    code: str = strawberry.field(description="A stable code, e.g. FIRST_STEPS.")
    title: str = strawberry.field(description="Its title.")
    description: str = strawberry.field(description="What earns it.")

    @classmethod
    def from_row(cls, row: Achievement) -> AchievementType:
        return cls(code=row.code, title=row.title, description=row.description)


@strawberry.type(name="AchievementAward", description="An achievement a learner earned.")
class AchievementAwardType:
    achievement: AchievementType = strawberry.field(description="What was earned.")
    awarded_at: datetime = strawberry.field(description="When it was earned.")

    @classmethod
    def from_award(cls, award: Award) -> AchievementAwardType:
        earned = AchievementType(code=award.code, title=award.title, description=award.description)
        return cls(achievement=earned, awarded_at=award.awarded_at)


@strawberry.type(name="Dashboard", description="A learner's figures, all from SQL.")
class DashboardType:
    concepts_available: int = strawberry.field(
        description="Concepts not completed whose prerequisites are all completed."
    )
    average_completion: float = strawberry.field(description="Mean progress percent, 0..100.")
    time_spent_seconds: int = strawberry.field(description="Study time recorded, in seconds.")
    streak_days: int = strawberry.field(description="Consecutive active days (UTC) up to now.")
    completed_count: int = strawberry.field(description="Concepts completed or mastered.")
    mastered_count: int = strawberry.field(description="Concepts mastered.")

    @classmethod
    def from_figures(cls, figures: DashboardFigures) -> DashboardType:
        return cls(
            concepts_available=figures.concepts_available,
            average_completion=round(figures.average_completion, 2),
            time_spent_seconds=figures.time_spent_seconds,
            streak_days=figures.streak_days,
            completed_count=figures.completed_count,
            mastered_count=figures.mastered_count,
        )
