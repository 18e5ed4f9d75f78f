"""A learner's study session."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from persistence.sql.study_sessions import idle_cutoff
from resolvers.concepts import concepts_by_ids
from resolvers.learning_sessions import SessionView
from schema.info import Info

if TYPE_CHECKING:
    from persistence.sql.models import LearningSession
    from schema.types.concept import ConceptType

__all__ = ["LearningSessionType"]

LazyConcept = Annotated["ConceptType", strawberry.lazy("schema.types.concept")]


@strawberry.type(
    name="LearningSession",
    description="Time a learner spent studying; open until ended, replaced or idle too long.",
)
class LearningSessionType:
    id: strawberry.ID = strawberry.field(description="The session's id.")
    started_at: datetime = strawberry.field(description="When it started.")
    ended_at: datetime | None = strawberry.field(
        description="When it ended (at its last activity if it went idle); null while open."
    )
    last_activity_at: datetime = strawberry.field(
        description="The learner's latest activity in it."
    )
    duration_seconds: int | None = strawberry.field(
        description="Its length in seconds; null while open."
    )
    concept_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: LearningSession, info: Info) -> LearningSessionType:
        cutoff = idle_cutoff(info.context.settings.study_session_idle_seconds)
        view = SessionView.of(row, cutoff)
        return cls(
            id=strawberry.ID(str(row.id)),
            started_at=row.started_at,
            ended_at=view.ended_at,
            last_activity_at=row.last_activity_at,
            duration_seconds=view.duration_seconds,
            concept_id=row.concept_id,
        )

    @strawberry.field(description="The concept studied, if one was named.")
    async def concept(self, info: Info) -> LazyConcept | None:
        from schema.types.concept import ConceptType

        if self.concept_id is None:
            return None
        rows = await concepts_by_ids(info.context, [self.concept_id])
        return ConceptType.from_row(rows[0]) if rows else None
