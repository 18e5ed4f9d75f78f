"""Expected failures, returned to clients as data rather than raised as GraphQL errors."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["ErrorCode", "UserError", "UserErrors"]


class ErrorCode(enum.StrEnum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    CYCLE = "CYCLE"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"  # noqa: S105  # an error code, not a secret
    TOKEN_INVALID = "TOKEN_INVALID"  # noqa: S105  # an error code, not a secret


@dataclass(frozen=True)
class UserError:
    field: str | None
    message: str
    code: ErrorCode
    retry_after: int | None = None  # seconds to wait, with RATE_LIMITED


class UserErrors(Exception):  # noqa: N818  # a carrier of errors, not a failure name
    """Raised inside a unit of work to roll it back and answer with these errors."""

    def __init__(self, *errors: UserError) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, field: str | None, message: str, code: ErrorCode) -> UserErrors:
        return cls(UserError(field=field, message=message, code=code))
