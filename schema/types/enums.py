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


@strawberry.enum
class Role(enum.Enum):
    STUDENT = "student"
    TEACHER = "teacher"
    ADMIN = "admin"


@strawberry.enum
class Difficulty(enum.Enum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


@strawberry.enum
class ProgressStatus(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    MASTERED = "mastered"


@strawberry.enum
class RelationKind(enum.Enum):
    PREREQUISITE = "prerequisite"
    RELATED_TO = "related_to"
    BUILDS_UPON = "builds_upon"
    PART_OF = "part_of"


@strawberry.enum
class QuestionKind(enum.Enum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SHORT_TEXT = "short_text"


@strawberry.enum
class SyncEventStatus(enum.Enum):
    PENDING = "pending"
    PUBLISHED = "published"
    COMPLETED = "completed"
    FAILED = "failed"
    DEAD = "dead"


@strawberry.enum
class ResolutionStrategy(enum.Enum):
    SOURCE_WINS = "source_wins"
    LAST_WRITE_WINS = "last_write_wins"
    TARGET_WINS = "target_wins"
    MANUAL_REVIEW = "manual_review"
    MERGE = "merge"


@strawberry.enum
class ErrorCode(enum.Enum):
    VALIDATION = DomainErrorCode.VALIDATION.value
    NOT_FOUND = DomainErrorCode.NOT_FOUND.value
    DUPLICATE = DomainErrorCode.DUPLICATE.value
    FORBIDDEN = DomainErrorCode.FORBIDDEN.value
    UNAUTHENTICATED = DomainErrorCode.UNAUTHENTICATED.value
    CYCLE = DomainErrorCode.CYCLE.value
    CONFLICT = DomainErrorCode.CONFLICT.value
