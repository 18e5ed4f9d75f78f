"""The learner's own views on a User: dashboard, progress, attempts, achievements, paths,
skill mastery and recommendations.

Each answers for the signed-in user themself (or an admin); for anyone else null or empty.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from resolvers import policy
from resolvers.dashboard import dashboards
from resolvers.loaders.courses import skill_mastery_by_user
from resolvers.loaders.learning import (
    PageKey,
    attempt_pages,
    awards_by_user,
    badge_awards_by_user,
    enrollments_by_user,
    progress_pages,
    session_pages,
)
from resolvers.recommendations import path_recommendations, recommendations
from schema.info import Info
from schema.limits import page_size
from schema.lookahead import selects
from schema.types.badge import BadgeAwardType, BadgeType
from schema.types.learning_session import LearningSessionType
from schema.types.pagination import After, Connection, First, build_connection, decode_cursor
from schema.types.progress import (
    AchievementAwardType,
    ConceptProgressType,
    DashboardType,
    PathEnrollmentType,
    prefetch_concepts,
    prefetch_paths,
)
from schema.types.quiz import QuizAttemptType, prefetch_quizzes
from schema.types.recommendation import PathRecommendationType, RecommendationType

if TYPE_CHECKING:
    from schema.types.skill_mastery import SkillMasteryType

__all__ = ["LearnerViews", "viewer_may_see"]

N = TypeVar("N")
# skill_mastery -> course -> user -> this module: the type is resolved lazily.
LazySkillMastery = Annotated["SkillMasteryType", strawberry.lazy("schema.types.skill_mastery")]


def _same(node: N) -> N:
    return node


def viewer_may_see(info: Info, user_id: uuid.UUID) -> bool:
    """The caller is this user or an admin (policy.may_see_private)."""
    return policy.may_see_private(info.context.principal, user_id)


@strawberry.type
class LearnerViews:
    """Mixed into UserType; its fields answer only for the signed-in user themself."""

    if TYPE_CHECKING:
        id: strawberry.ID

    def _learner(self, info: Info) -> uuid.UUID | None:
        user_id = uuid.UUID(str(self.id))
        return user_id if viewer_may_see(info, user_id) else None

    def _page(self, info: Info, first: int | None, after: str | None) -> PageKey | None:
        user_id = self._learner(info)
        limit = page_size(info, first)
        return PageKey(user_id, decode_cursor(after), limit) if user_id else None

    @strawberry.field(description="Learning figures; null unless you are this user or an admin.")
    async def dashboard(self, info: Info) -> DashboardType | None:
        user_id = self._learner(info)
        if user_id is None:
            return None
        return DashboardType.from_figures(await info.context.loaders.of(dashboards).load(user_id))

    @strawberry.field(description="Progress on concepts, most recently updated first.")
    async def progress(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[ConceptProgressType] | None:
        key = self._page(info, first, after)
        if key is None:
            return None
        page = await info.context.loaders.of(progress_pages).load(key)
        nodes = [ConceptProgressType.from_row(row) for row in page.rows]
        if selects(info, "edges", "node", "concept"):
            await prefetch_concepts(info, nodes)
        return build_connection(nodes, start=key.offset, total=page.total, to_node=_same)

    @strawberry.field(description="Study sessions, latest first.")
    async def learning_sessions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
    ) -> Connection[LearningSessionType] | None:
        key = self._page(info, first, after)
        if key is None:
            return None
        page = await info.context.loaders.of(session_pages).load(key)
        return build_connection(
            page.rows,
            start=key.offset,
            total=page.total,
            to_node=lambda row: LearningSessionType.from_row(row, info),
        )

    @strawberry.field(description="Graded quiz attempts, latest first.")
    async def quiz_attempts(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[QuizAttemptType] | None:
        key = self._page(info, first, after)
        if key is None:
            return None
        page = await info.context.loaders.of(attempt_pages).load(key)
        nodes = [QuizAttemptType.from_row(row) for row in page.rows]
        if selects(info, "edges", "node", "quiz"):
            await prefetch_quizzes(info, nodes)
        return build_connection(nodes, start=key.offset, total=page.total, to_node=_same)

    @strawberry.field(description="Achievements earned, oldest first.")
    async def achievements(self, info: Info) -> list[AchievementAwardType]:
        user_id = self._learner(info)
        if user_id is None:
            return []
        awards = await info.context.loaders.of(awards_by_user).load(user_id)
        return [AchievementAwardType.from_award(award) for award in awards]

    @strawberry.field(description="Badges earned, oldest first; empty for others.")
    async def badges(self, info: Info) -> list[BadgeAwardType]:
        user_id = self._learner(info)
        if user_id is None:
            return []
        awards = await info.context.loaders.of(badge_awards_by_user).load(user_id)
        return [
            BadgeAwardType(badge=BadgeType.from_row(award.definition), awarded_at=award.awarded_at)
            for award in awards
            if award.definition is not None
        ]

    @strawberry.field(description="Learning paths this user is enrolled in.")
    async def enrolled_paths(self, info: Info) -> list[PathEnrollmentType]:
        user_id = self._learner(info)
        if user_id is None:
            return []
        rows = await info.context.loaders.of(enrollments_by_user).load(user_id)
        enrollments = [PathEnrollmentType.from_row(row) for row in rows]
        if selects(info, "path"):
            await prefetch_paths(info, enrollments)
        return enrollments

    @strawberry.field(description="Mastery of course skills, best first.")
    async def skill_mastery(self, info: Info) -> list[LazySkillMastery]:
        from schema.types.skill_mastery import SkillMasteryType

        user_id = self._learner(info)
        if user_id is None:
            return []
        rows = await info.context.loaders.of(skill_mastery_by_user).load(user_id)
        return [SkillMasteryType.from_row(row) for row in rows]

    @strawberry.field(
        description="Next concepts whose prerequisites you have all completed, best first. "
        "Fails alone (null, with an error) when the knowledge graph is unavailable."
    )
    async def recommendations(
        self, info: Info, first: First = 10
    ) -> list[RecommendationType] | None:
        user_id = self._learner(info)
        if user_id is None:
            return []
        found = await recommendations(info.context, user_id, limit=page_size(info, first))
        return [RecommendationType.from_found(one) for one in found]

    @strawberry.field(
        description="Learning paths sharing concepts you completed that you have not joined, "
        "most shared first. Fails alone when the knowledge graph is unavailable."
    )
    async def path_recommendations(
        self, info: Info, first: First = 5
    ) -> list[PathRecommendationType] | None:
        user_id = self._learner(info)
        if user_id is None:
            return []
        found = await path_recommendations(info.context, user_id, limit=page_size(info, first))
        return [PathRecommendationType.from_found(one) for one in found]
