"""GraphQL enums: the enums the domain declares, exposed as they are.

Each is stated once (domain/...: its values are the lowercase words the database stores) and
exposed with a description per value (`exposed`), so resolvers get domain members.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, TypeVar

import strawberry

from domain.conflicts import Strategy as ResolutionStrategy
from domain.difficulty import Difficulty
from domain.errors import ErrorCode
from domain.events import SyncEventStatus
from domain.grading import QuestionKind
from domain.progress import ProgressStatus
from domain.relations import RelationKind
from domain.roles import Role

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "Difficulty",
    "ErrorCode",
    "ProgressStatus",
    "QuestionKind",
    "RelationKind",
    "ResolutionStrategy",
    "Role",
    "SyncEventStatus",
    "exposed",
]

E = TypeVar("E", bound=enum.Enum)


def exposed(
    domain: type[E], *, description: str, values: Mapping[E, str], name: str | None = None
) -> type[E]:
    """The domain's enum as a GraphQL enum (named `name`, else as the class), every value
    described; a value left without a description is an error at import."""
    undescribed = [member.name for member in domain if member not in values]
    if undescribed:
        raise TypeError(f"{domain.__name__}: no description for {', '.join(undescribed)}")
    strawberry.enum(domain, name=name, description=description)
    definition = domain.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = values[domain[value.name]]
    return domain


exposed(
    Role,
    description="What a user may do.",
    values={
        Role.STUDENT: "Learns: progress, quizzes, paths.",
        Role.TEACHER: "Also writes content and teaches courses.",
        Role.ADMIN: "Everything, sync internals included.",
    },
)

exposed(
    Difficulty,
    description="How hard a concept or path is, easiest first.",
    values={
        Difficulty.BEGINNER: "No background needed.",
        Difficulty.INTERMEDIATE: "Needs the basics.",
        Difficulty.ADVANCED: "Needs solid experience.",
        Difficulty.EXPERT: "For specialists.",
    },
)

exposed(
    ProgressStatus,
    description="Where a learner stands on a concept or path.",
    values={
        ProgressStatus.NOT_STARTED: "Not begun yet.",
        ProgressStatus.IN_PROGRESS: "Begun, not finished.",
        ProgressStatus.COMPLETED: "Finished.",
        ProgressStatus.MASTERED: "Finished and proven (counts as completed).",
    },
)

exposed(
    RelationKind,
    description="The kind of a link from one concept to another.",
    values={
        RelationKind.PREREQUISITE: "The source must be learned before the target (no cycles).",
        RelationKind.RELATED_TO: "The two are related.",
        RelationKind.BUILDS_UPON: "The source extends what the target teaches.",
        RelationKind.PART_OF: "The source is part of the target.",
    },
)

exposed(
    QuestionKind,
    description="How a question is answered.",
    values={
        QuestionKind.SINGLE_CHOICE: "Pick exactly one of the options.",
        QuestionKind.MULTIPLE_CHOICE: "Pick every right option, and only those.",
        QuestionKind.SHORT_TEXT: "Type an answer; case and spacing are ignored.",
    },
)

exposed(
    SyncEventStatus,
    description="Where an outbox event is on its way to the graph.",
    values={
        SyncEventStatus.PENDING: "Committed, not yet handed to the broker (the relay will).",
        SyncEventStatus.PUBLISHED: "Enqueued for a worker.",
        SyncEventStatus.COMPLETED: "Applied to the graph.",
        SyncEventStatus.FAILED: "The last try failed; it is retried.",
        SyncEventStatus.DEAD: "Out of tries; waits for an operator (retrySyncEvents).",
    },
)

exposed(
    ResolutionStrategy,
    name="ResolutionStrategy",
    description="How a conflict between PostgreSQL and the graph is settled.",
    values={
        ResolutionStrategy.SOURCE_WINS: "PostgreSQL's state is written back to the graph.",
        ResolutionStrategy.LAST_WRITE_WINS: "The side changed last wins.",
        ResolutionStrategy.TARGET_WINS: "The graph's values go into PostgreSQL, with outbox events.",
        ResolutionStrategy.MANUAL_REVIEW: "Left for an operator to settle.",
        ResolutionStrategy.MERGE: "Combined field by field.",
    },
)

exposed(
    ErrorCode,
    description="Why an expected failure happened.",
    values={
        ErrorCode.VALIDATION: "An input value is not acceptable.",
        ErrorCode.NOT_FOUND: "Something named does not exist.",
        ErrorCode.DUPLICATE: "Something unique already exists.",
        ErrorCode.FORBIDDEN: "Signed in, but not allowed to do this.",
        ErrorCode.UNAUTHENTICATED: "Sign in first.",
        ErrorCode.CYCLE: "The link would close a prerequisite cycle.",
        ErrorCode.CONFLICT: "Changed by someone else since (expectedVersion is not the current one).",
        ErrorCode.RATE_LIMITED: "Too many attempts: wait `retryAfter` seconds, then try again.",
        ErrorCode.TOKEN_EXPIRED: (
            "The refresh, verification or reset token has expired: ask for a new one."
        ),
        ErrorCode.TOKEN_INVALID: "The token is unknown, already used or revoked.",
    },
)
