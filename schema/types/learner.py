"""The learner's own views on a User: dashboard, progress, attempts, achievements, paths,
skill mastery and recommendations.

Each answers for the signed-in user themself (or an admin); for anyone else null or empty.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from strawberry.utils.await_maybe import AwaitableOrValue

from persistence.sql.reads.progress import JsonPage, PageWanted
from resolvers import policy
from resolvers.dashboard import dashboard_figures, dashboards, today_utc
from resolvers.loaders.courses import skill_mastery_by_user
from resolvers.loaders.json_reads import Picked, progress_pages
from resolvers.loaders.learning import (
    Award,
    PageKey,
    attempt_pages,
    awards_by_user,
    badge_awards_by_user,
    enrollments_by_user,
    session_pages,
)
from resolvers.recommendations import path_recommendations, recommendations
from schema.info import Info
from schema.limits import page_size
from schema.lookahead import selects
from schema.sql_answers import page_read_of
from schema.sql_subtrees import PROGRESS_SUBTREE, built
from schema.types.badge import BadgeAwardType, BadgeType
from schema.types.learning_session import LearningSessionType
from schema.types.pagination import (
    After,
    Connection,
    First,
    build_connection,
    decode_cursor,
    page_connection,
)
from schema.types.progress import (
    AchievementAwardType,
    ConceptProgressType,
    DashboardType,
    PathEnrollmentType,
    prefetch_paths,
)
from schema.types.quiz import QuizAttemptType, prefetch_quizzes
from schema.types.recommendation import PathRecommendationType, RecommendationType

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from persistence.sql.reads.learner import LearnerRead, PageRead, ProgressRead
    from schema.types.skill_mastery import SkillMasteryType

__all__ = ["LearnerViews", "viewer_may_see"]

N = TypeVar("N")
C = TypeVar("C")
Own = TypeVar("Own", "PageRead[Any, Any]", "ProgressRead")  # what `me` read of a page
# skill_mastery -> course -> user -> this module: the type is resolved lazily.
LazySkillMastery = Annotated["SkillMasteryType", strawberry.lazy("schema.types.skill_mastery")]


def _same(node: N) -> N:
    return node


def _read_page(read: Own | None, key: PageKey) -> Own | None:
    """The page `me` read, if it is the one this field asks for."""
    if read is None or (read.wanted.offset, read.wanted.limit) != (key.offset, key.limit):
        return None
    return read


def _progress_of(read: ProgressRead, key: PageKey) -> Connection[ConceptProgressType]:
    return _progress_connection(read.page, key)


def _attempts_of(read: PageRead[Any, Any], key: PageKey) -> Connection[QuizAttemptType]:
    nodes = [QuizAttemptType.from_row(row, quiz) for row, quiz in read.rows]
    return build_connection(nodes, start=key.offset, total=read.total, to_node=_same)


def _progress_connection(page: JsonPage, key: PageKey) -> Connection[ConceptProgressType]:
    """A progress page as the progress subtree read it (instances, or text written whole)."""
    to_node = partial(built, PROGRESS_SUBTREE)
    return page_connection(
        page.rows, start=key.offset, limit=key.limit, total=page.total, to_node=to_node
    )


def _award(award: Award) -> AchievementAwardType:
    return AchievementAwardType.from_award(award)


def viewer_may_see(info: Info, user_id: uuid.UUID) -> bool:
    """The caller is this user or an admin (policy.may_see_private)."""
    return policy.may_see_private(info.context.principal, user_id)


@strawberry.type
class LearnerViews:
    """Mixed into UserType; its fields answer only for the signed-in user themself."""

    if TYPE_CHECKING:
        id: strawberry.ID
        own: LearnerRead | None  # what `me` read in one statement (UserType holds it)

    def _learner(self, info: Info) -> uuid.UUID | None:
        user_id = uuid.UUID(str(self.id))
        return user_id if viewer_may_see(info, user_id) else None

    def _page(self, info: Info, first: int | None, after: str | None) -> PageKey | None:
        user_id = self._learner(info)
        limit = page_size(info, first)
        return PageKey(user_id, decode_cursor(after), limit) if user_id else None

    def _own_page(  # noqa: PLR0917 (the one shape of the paged own views)
        self,
        info: Info,
        first: int | None,
        after: str | None,
        read: Own | None,
        answer: Callable[[Own, PageKey], C],
        load: Callable[[Info, PageKey], Awaitable[C | None]],
    ) -> AwaitableOrValue[C | None]:
        """A page of the user's own: null for others, from what `me` read when that is this
        page, else from its loader."""
        key = self._page(info, first, after)
        if key is None:
            return None
        found = _read_page(read, key)
        return answer(found, key) if found is not None else load(info, key)

    @strawberry.field(
        description="Learning figures; null unless you are this user or an admin.",
        graphql_type=DashboardType | None,
    )
    def dashboard(self, info: Info) -> AwaitableOrValue[DashboardType | None]:
        if self.own is not None and self.own.figures is not None:
            return DashboardType.from_figures(dashboard_figures(self.own.figures, today_utc()))
        return self._load_dashboard(info)

    async def _load_dashboard(self, info: Info) -> DashboardType | None:
        user_id = self._learner(info)
        if user_id is None:
            return None
        return DashboardType.from_figures(await info.context.loaders.of(dashboards).load(user_id))

    @strawberry.field(
        description="Progress on concepts, most recently updated first.",
        graphql_type=Connection[ConceptProgressType] | None,
    )
    def progress(
        self, info: Info, first: First = None, after: After = None
    ) -> AwaitableOrValue[Connection[ConceptProgressType] | None]:
        read = self.own.progress if self.own else None
        return self._own_page(info, first, after, read, _progress_of, self._load_progress)

    async def _load_progress(
        self, info: Info, key: PageKey
    ) -> Connection[ConceptProgressType] | None:
        pick = page_read_of(PROGRESS_SUBTREE, info)
        wanted = PageWanted(key.user_id, key.offset, key.limit)
        viewer = info.context.viewer_id
        page = await info.context.loaders.of(progress_pages).load(Picked(wanted, pick, viewer))
        return _progress_connection(page, key)

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

    @strawberry.field(
        description="Graded quiz attempts, latest first.",
        graphql_type=Connection[QuizAttemptType] | None,
    )
    def quiz_attempts(
        self, info: Info, first: First = None, after: After = None
    ) -> AwaitableOrValue[Connection[QuizAttemptType] | None]:
        read = self.own.attempts if self.own else None
        return self._own_page(info, first, after, read, _attempts_of, self._load_quiz_attempts)

    async def _load_quiz_attempts(
        self, info: Info, key: PageKey
    ) -> Connection[QuizAttemptType] | None:
        page = await info.context.loaders.of(attempt_pages).load(key)
        nodes = [QuizAttemptType.from_row(row) for row in page.rows]
        if selects(info, "edges", "node", "quiz"):
            await prefetch_quizzes(info, nodes)
        return build_connection(nodes, start=key.offset, total=page.total, to_node=_same)

    @strawberry.field(
        description="Achievements earned, oldest first.",
        graphql_type=list[AchievementAwardType],
    )
    def achievements(self, info: Info) -> AwaitableOrValue[list[AchievementAwardType]]:
        if self.own is not None and self.own.achievements is not None:
            return [_award(Award.of(row, at)) for row, at in self.own.achievements]
        return self._load_achievements(info)

    async def _load_achievements(self, info: Info) -> list[AchievementAwardType]:
        user_id = self._learner(info)
        if user_id is None:
            return []
        awards = await info.context.loaders.of(awards_by_user).load(user_id)
        return [_award(award) for award in awards]

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

    @strawberry.field(
        description="Learning paths this user is enrolled in.",
        graphql_type=list[PathEnrollmentType],
    )
    def enrolled_paths(self, info: Info) -> AwaitableOrValue[list[PathEnrollmentType]]:
        if self.own is not None and self.own.enrollments is not None:
            return [PathEnrollmentType.from_row(row, path) for row, path in self.own.enrollments]
        return self._load_enrolled_paths(info)

    async def _load_enrolled_paths(self, info: Info) -> list[PathEnrollmentType]:
        user_id = self._learner(info)
        if user_id is None:
            return []
        rows = await info.context.loaders.of(enrollments_by_user).load(user_id)
        enrollments = [PathEnrollmentType.from_row(row) for row in rows]
        if selects(info, "path"):
            await prefetch_paths(info, enrollments)
        return enrollments

    @strawberry.field(
        description="Mastery of course skills, best first.", graphql_type=list[LazySkillMastery]
    )
    def skill_mastery(self, info: Info) -> AwaitableOrValue[list[LazySkillMastery]]:
        from schema.types.skill_mastery import SkillMasteryType

        if self.own is not None and self.own.skill_mastery is not None:
            return [SkillMasteryType.from_row(row, skill) for row, skill in self.own.skill_mastery]
        return self._load_skill_mastery(info)

    async def _load_skill_mastery(self, info: Info) -> list[SkillMasteryType]:
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
