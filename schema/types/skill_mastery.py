"""A learner's mastery of a skill, shared by RecordSkillMastery and `me { skillMastery }`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from domain.mastery import MasteryCategory
from domain.mastery import Trend as MasteryTrend
from persistence.sql.models import Skill
from resolvers.loaders.courses import skills_by_id
from schema.info import Info
from schema.types.course import SkillType
from schema.types.enums import exposed
from schema.types.required import required

if TYPE_CHECKING:
    from persistence.sql.models import SkillMastery

__all__ = ["MasteryCategory", "MasteryTrend", "SkillMasteryType"]


exposed(
    MasteryTrend,
    name="MasteryTrend",
    description="Which way a learner's mastery of a skill is moving.",
    values={
        MasteryTrend.IMPROVING: "Rising.",
        MasteryTrend.STABLE: "Holding steady.",
        MasteryTrend.DECLINING: "Falling.",
    },
)
exposed(
    MasteryCategory,
    description="A learner's level on a skill, from current mastery.",
    values={
        MasteryCategory.NOVICE: "Just starting.",
        MasteryCategory.DEVELOPING: "Getting there.",
        MasteryCategory.PROFICIENT: "Capable.",
        MasteryCategory.MASTERED: "Fully mastered.",
    },
)


@strawberry.type(name="SkillMastery", description="How well a learner masters a skill.")
class SkillMasteryType:
    current_mastery: float = strawberry.field(
        description="How well the skill is mastered now, 0..1."
    )
    confidence: float = strawberry.field(description="How sure the estimate is, 0..1.")
    trend: MasteryTrend = strawberry.field(description="Which way it moves.")
    mastery_category: MasteryCategory = strawberry.field(
        description="The level it puts the learner at."
    )
    num_assessments: int = strawberry.field(description="How many assessments it rests on.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    skill_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: SkillMastery, skill: Skill | None = None) -> SkillMasteryType:
        """skill: its row when the list read it with the mastery."""
        return cls(
            current_mastery=row.current_mastery,
            confidence=row.confidence,
            trend=MasteryTrend(row.trend),
            mastery_category=MasteryCategory(row.mastery_category),
            num_assessments=row.num_assessments,
            updated_at=row.updated_at,
            skill_id=row.skill_id,
            known_skill=skill,
        )

    known_skill: strawberry.Private[Skill | None] = None

    @strawberry.field(description="The skill.", graphql_type=SkillType)
    def skill(self, info: Info) -> SkillType | Awaitable[SkillType]:
        if self.known_skill is not None:
            return SkillType.from_row(self.known_skill)
        return self._load_skill(info)

    async def _load_skill(self, info: Info) -> SkillType:
        row = await info.context.loaders.of(skills_by_id).load(self.skill_id)
        return SkillType.from_row(required(row, "skill"))
