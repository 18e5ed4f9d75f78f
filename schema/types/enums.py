"""GraphQL enums; their values are the lowercase words the database stores."""

from __future__ import annotations

import enum

import strawberry

from domain.errors import ErrorCode as DomainErrorCode

__all__ = [
    "Difficulty",
    "ErrorCode",
    "ProgressStatus",
    "QuestionKind",
    "RelationKind",
    "ResolutionStrategy",
    "Role",
    "SyncEventStatus",
]


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


@strawberry.enum(description="How a conflict between PostgreSQL and the graph is settled.")
class ResolutionStrategy(enum.Enum):
    SOURCE_WINS = strawberry.enum_value(
        "source_wins", description="PostgreSQL's state is written back to the graph."
    )
    LAST_WRITE_WINS = strawberry.enum_value(
        "last_write_wins", description="The side changed last wins."
    )
    TARGET_WINS = strawberry.enum_value(
        "target_wins", description="The graph's values go into PostgreSQL, with outbox events."
    )
    MANUAL_REVIEW = strawberry.enum_value(
        "manual_review", description="Left for an operator to settle."
    )
    MERGE = strawberry.enum_value("merge", description="Combined field by field.")


@strawberry.enum(description="Why an expected failure happened.")
class ErrorCode(enum.Enum):
    VALIDATION = strawberry.enum_value(
        DomainErrorCode.VALIDATION.value, description="An input value is not acceptable."
    )
    NOT_FOUND = strawberry.enum_value(
        DomainErrorCode.NOT_FOUND.value, description="Something named does not exist."
    )
    DUPLICATE = strawberry.enum_value(
        DomainErrorCode.DUPLICATE.value, description="Something unique already exists."
    )
    FORBIDDEN = strawberry.enum_value(
        DomainErrorCode.FORBIDDEN.value, description="Signed in, but not allowed to do this."
    )
    UNAUTHENTICATED = strawberry.enum_value(
        DomainErrorCode.UNAUTHENTICATED.value, description="Sign in first."
    )
    CYCLE = strawberry.enum_value(
        DomainErrorCode.CYCLE.value, description="The link would close a prerequisite cycle."
    )
    CONFLICT = strawberry.enum_value(
        DomainErrorCode.CONFLICT.value,
        description="Changed by someone else since (expectedVersion is not the current one).",
    )
    RATE_LIMITED = strawberry.enum_value(
        DomainErrorCode.RATE_LIMITED.value,
        description="Too many attempts: wait `retryAfter` seconds, then try again.",
    )
    TOKEN_EXPIRED = strawberry.enum_value(
        DomainErrorCode.TOKEN_EXPIRED.value,
        description="The refresh, verification or reset token has expired: ask for a new one.",
    )
    TOKEN_INVALID = strawberry.enum_value(
        DomainErrorCode.TOKEN_INVALID.value,
        description="The token is unknown, already used or revoked.",
    )
