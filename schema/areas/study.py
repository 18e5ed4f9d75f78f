"""Study sessions (a learner starts and ends them; one is open at a time) and badges."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.badges import badge_definitions
from resolvers.learning_sessions import end_session, start_session
from schema.info import Info
from schema.payloads import Payload
from schema.types.badge import BadgeType
from schema.types.learning_session import LearningSessionType

__all__ = ["BadgeQuery", "StudyMutation"]


@strawberry.type(description="The result of starting or ending a study session.")
class LearningSessionPayload(Payload):
    session: LearningSessionType | None = strawberry.field(
        default=None, description="The session; null on failure."
    )


@strawberry.type
class StudyMutation:
    @strawberry.mutation(
        description="Start studying (optionally a concept); ends the session you had open."
    )
    async def start_learning_session(
        self,
        info: Info,
        concept_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The concept you study, if one.")
        ] = None,
    ) -> LearningSessionPayload:
        row = await start_session(info.context, None if concept_id is None else str(concept_id))
        return LearningSessionPayload(session=LearningSessionType.from_row(row, info))

    @strawberry.mutation(
        description="End your open session (at its last activity if it went idle)."
    )
    async def end_learning_session(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The session's id.")],
    ) -> LearningSessionPayload:
        row = await end_session(info.context, str(id))
        return LearningSessionPayload(session=LearningSessionType.from_row(row, info))


@strawberry.type
class BadgeQuery:
    @strawberry.field(description="Every badge with the rule that awards it.")
    async def badges(self, info: Info) -> list[BadgeType]:
        return [BadgeType.from_row(row) for row in await badge_definitions(info.context)]
