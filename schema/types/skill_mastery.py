"""A learner's mastery of a skill, shared by RecordSkillMastery and `me { skillMastery }`."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import strawberry

from persistence.sql.models import SkillMastery
from resolvers.loaders.courses import skills_by_id
from schema.info import Info
from schema.types.course import SkillType

__all__ = ["MasteryCategory", "MasteryTrend", "SkillMasteryType"]


@strawberry.enum
class MasteryTrend(enum.Enum):
    IMPROVING = "improving"
    STABLE = "stable"
    DECLINING = "declining"


@strawberry.enum
class MasteryCategory(enum.Enum):
    NOVICE = "novice"
    DEVELOPING = "developing"
    PROFICIENT = "proficient"
    MASTERED = "mastered"


@strawberry.type(name="SkillMastery", description="How well a learner masters a skill.")
class SkillMasteryType:
    current_mastery: float
    confidence: float
    trend: MasteryTrend
    mastery_category: MasteryCategory
    num_assessments: int
    updated_at: datetime
    skill_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: SkillMastery) -> SkillMasteryType:
        return cls(
            current_mastery=row.current_mastery,
            confidence=row.confidence,
            trend=MasteryTrend(row.trend),
            mastery_category=MasteryCategory(row.mastery_category),
            num_assessments=row.num_assessments,
            updated_at=row.updated_at,
            skill_id=row.skill_id,
        )

    @strawberry.field
    async def skill(self, info: Info) -> SkillType | None:
        row = await info.context.loaders.of(skills_by_id).load(self.skill_id)
        return SkillType.from_row(row) if row is not None else None
