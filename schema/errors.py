"""The `errors { field message code }` every mutation payload carries."""

from __future__ import annotations

import strawberry

from domain.errors import UserError as DomainUserError
from schema.types.enums import ErrorCode

__all__ = ["UserError", "user_errors"]


@strawberry.type(description="An expected failure: bad input, not found, forbidden, and so on.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, if one is.")
    message: str = strawberry.field(description="What went wrong, in words for people.")
    code: ErrorCode = strawberry.field(description="Why, for programs.")
    retry_after: int | None = strawberry.field(
        default=None, description="With RATE_LIMITED: the seconds to wait before trying again."
    )


def user_errors(errors: list[DomainUserError]) -> list[UserError]:
    return [
        UserError(
            field=e.field,
            message=e.message,
            code=ErrorCode(e.code.value),
            retry_after=e.retry_after,
        )
        for e in errors
    ]
