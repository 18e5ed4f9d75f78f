"""GraphQL enums; their values are the lowercase words the database stores.

An enum the domain declares (error codes, conflict strategies) is exposed as it is, with a
description per value (`exposed`): its values are stated once, and resolvers get domain members.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, TypeVar

import strawberry

from domain.conflicts import Strategy as ResolutionStrategy
from domain.errors import ErrorCode

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


@strawberry.enum(description="What a user may do.")
class Role(enum.Enum):
    STUDENT = strawberry.enum_value("student", description="Learns: progress, quizzes, paths.")
    TEACHER = strawberry.enum_value(
        "teacher", description="Also writes content and teaches courses."
    )
    ADMIN = strawberry.enum_value("admin", description="Everything, sync internals included.")


@strawberry.enum(description="How hard a concept or path is, easiest first.")
class Difficulty(enum.Enum):
    BEGINNER = strawberry.enum_value("beginner", description="No background needed.")
    INTERMEDIATE = strawberry.enum_value("intermediate", description="Needs the basics.")
    ADVANCED = strawberry.enum_value("advanced", description="Needs solid experience.")
    EXPERT = strawberry.enum_value("expert", description="For specialists.")


@strawberry.enum(description="Where a learner stands on a concept or path.")
class ProgressStatus(enum.Enum):
    NOT_STARTED = strawberry.enum_value("not_started", description="Not begun yet.")
    IN_PROGRESS = strawberry.enum_value("in_progress", description="Begun, not finished.")
    COMPLETED = strawberry.enum_value("completed", description="Finished.")
    MASTERED = strawberry.enum_value(
        "mastered", description="Finished and proven (counts as completed)."
    )


@strawberry.enum(description="The kind of a link from one concept to another.")
class RelationKind(enum.Enum):
    PREREQUISITE = strawberry.enum_value(
        "prerequisite", description="The source must be learned before the target (no cycles)."
    )
    RELATED_TO = strawberry.enum_value("related_to", description="The two are related.")
    BUILDS_UPON = strawberry.enum_value(
        "builds_upon", description="The source extends what the target teaches."
    )
    PART_OF = strawberry.enum_value("part_of", description="The source is part of the target.")


@strawberry.enum(description="How a question is answered.")
class QuestionKind(enum.Enum):
    SINGLE_CHOICE = strawberry.enum_value(
        "single_choice", description="Pick exactly one of the options."
    )
    MULTIPLE_CHOICE = strawberry.enum_value(
        "multiple_choice", description="Pick every right option, and only those."
    )
    SHORT_TEXT = strawberry.enum_value(
        "short_text", description="Type an answer; case and spacing are ignored."
    )


@strawberry.enum(description="Where an outbox event is on its way to the graph.")
class SyncEventStatus(enum.Enum):
    PENDING = strawberry.enum_value(
        "pending", description="Committed, not yet handed to the broker (the relay will)."
    )
    PUBLISHED = strawberry.enum_value("published", description="Enqueued for a worker.")
    COMPLETED = strawberry.enum_value("completed", description="Applied to the graph.")
    FAILED = strawberry.enum_value("failed", description="The last try failed; it is retried.")
    DEAD = strawberry.enum_value(
        "dead", description="Out of tries; waits for an operator (retrySyncEvents)."
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
