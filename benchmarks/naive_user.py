"""The naive baseline's learner and path types: one query per parent and per list item."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from benchmarks.naive_types import (
    Concept,
    ConceptProgress,
    Dashboard,
    Info,
    PageInfo,
    Preferences,
    Profile,
    Quiz,
    fetch_all,
    fetch_one,
    load_concept,
    load_progress,
    load_quiz,
)

__all__ = ["LearningPath", "User", "load_path"]


@strawberry.type
class ProgressEdge:
    node: ConceptProgress


@strawberry.type
class ProgressConnection:
    total_count: int
    edges: list[ProgressEdge]
    page_info: PageInfo


@strawberry.type
class QuizAttempt:
    id: strawberry.ID
    quiz_id: strawberry.Private[str]
    score: float
    max_score: float
    passed: bool
    submitted_at: datetime

    @strawberry.field
    async def quiz(self, info: Info) -> Quiz:
        return await load_quiz(info, self.quiz_id)


@strawberry.type
class AttemptEdge:
    node: QuizAttempt


@strawberry.type
class AttemptConnection:
    edges: list[AttemptEdge]


@strawberry.type
class Achievement:
    code: str
    title: str


@strawberry.type
class AchievementAward:
    achievement: Achievement
    awarded_at: datetime


@strawberry.type
class PathItem:
    order_index: int
    is_required: bool
    concept_id: strawberry.Private[str]

    @strawberry.field
    async def concept(self, info: Info) -> Concept | None:
        return await load_concept(info, "id", self.concept_id)


@strawberry.type
class PathEnrollment:
    status: str
    progress_percent: float
    path_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def path(self, info: Info) -> LearningPath | None:
        return await load_path(info, self.path_id)


@strawberry.type
class LearningPath:
    id: strawberry.ID
    title: str
    description: str
    category: str | None
    difficulty: str
    estimated_hours: float | None
    target_audience: str | None

    @strawberry.field
    async def concepts(self, info: Info) -> list[PathItem]:
        sql = "SELECT order_index, is_required, concept_id FROM learning_path_items WHERE path_id = :p ORDER BY order_index"
        rows = await fetch_all(info, sql, p=self.id)
        return [PathItem(order_index=r[0], is_required=r[1], concept_id=str(r[2])) for r in rows]

    @strawberry.field
    async def my_enrollment(self, info: Info) -> PathEnrollment | None:
        if info.context.user_id is None:
            return None
        sql = "SELECT status, progress_percent, path_id FROM path_enrollments WHERE user_id = :u AND path_id = :p"
        row = await fetch_one(info, sql, u=info.context.user_id, p=self.id)
        return (
            PathEnrollment(status=row[0], progress_percent=row[1], path_id=row[2]) if row else None
        )


async def load_path(info: Info, path_id: uuid.UUID) -> LearningPath | None:
    sql = "SELECT id, title, description, category, difficulty, estimated_hours, target_audience FROM learning_paths WHERE id = :p"
    row = await fetch_one(info, sql, p=path_id)
    if row is None:
        return None
    values = dict(row._mapping)
    values["id"] = strawberry.ID(str(values["id"]))
    return LearningPath(**values)


@strawberry.type
class User:
    id: strawberry.ID
    username: str
    role: str

    @strawberry.field
    async def profile(self, info: Info) -> Profile | None:
        sql = "SELECT first_name, last_name, timezone FROM profiles WHERE user_id = :u"
        row = await fetch_one(info, sql, u=self.id)
        return Profile(first_name=row[0], last_name=row[1], timezone=row[2]) if row else None

    @strawberry.field
    async def preferences(self, info: Info) -> Preferences | None:
        sql = "SELECT daily_goal_minutes, preferred_difficulty, dark_mode FROM learning_preferences WHERE user_id = :u"
        row = await fetch_one(info, sql, u=self.id)
        return (
            Preferences(daily_goal_minutes=row[0], preferred_difficulty=row[1], dark_mode=row[2])
            if row
            else None
        )

    @strawberry.field
    def dashboard(self) -> Dashboard:
        return Dashboard(user_id=str(self.id))

    @strawberry.field
    async def progress(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> ProgressConnection:
        limit = first or 20
        total = (
            await fetch_one(
                info, "SELECT count(*) FROM concept_progress WHERE user_id = :u", u=self.id
            )
        )[0]
        sql = "SELECT concept_id FROM concept_progress WHERE user_id = :u ORDER BY updated_at DESC, concept_id LIMIT :l"
        ids = await fetch_all(info, sql, u=self.id, l=limit)
        nodes = [await load_progress(info, str(self.id), concept_id) for (concept_id,) in ids]
        edges = [ProgressEdge(node=node) for node in nodes if node is not None]
        return ProgressConnection(
            total_count=total,
            edges=edges,
            page_info=PageInfo(has_next_page=total > limit, end_cursor=None),
        )

    @strawberry.field
    async def quiz_attempts(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> AttemptConnection:
        sql = "SELECT id FROM quiz_attempts WHERE user_id = :u ORDER BY submitted_at DESC LIMIT :l"
        edges = []
        for (attempt_id,) in await fetch_all(info, sql, u=self.id, l=first or 20):
            row = await fetch_one(
                info,
                "SELECT id, quiz_id, score, max_score, passed, submitted_at FROM quiz_attempts WHERE id = :i",
                i=attempt_id,
            )
            attempt = QuizAttempt(
                id=strawberry.ID(str(row[0])),
                quiz_id=str(row[1]),
                score=row[2],
                max_score=row[3],
                passed=row[4],
                submitted_at=row[5],
            )
            edges.append(AttemptEdge(node=attempt))
        return AttemptConnection(edges=edges)

    @strawberry.field
    async def achievements(self, info: Info) -> list[AchievementAward]:
        sql = "SELECT achievement_id, awarded_at FROM achievement_awards WHERE user_id = :u ORDER BY awarded_at"
        awards = []
        for achievement_id, awarded_at in await fetch_all(info, sql, u=self.id):
            row = await fetch_one(
                info, "SELECT code, title FROM achievements WHERE id = :i", i=achievement_id
            )
            awards.append(
                AchievementAward(
                    achievement=Achievement(code=row[0], title=row[1]), awarded_at=awarded_at
                )
            )
        return awards

    @strawberry.field
    async def enrolled_paths(self, info: Info) -> list[PathEnrollment]:
        sql = "SELECT path_id FROM path_enrollments WHERE user_id = :u"
        found = []
        for (path_id,) in await fetch_all(info, sql, u=self.id):
            one = "SELECT status, progress_percent, path_id FROM path_enrollments WHERE user_id = :u AND path_id = :p"
            row = await fetch_one(info, one, u=self.id, p=path_id)
            found.append(PathEnrollment(status=row[0], progress_percent=row[1], path_id=row[2]))
        return found
