"""Expected failures: the `errors { field message code }` of every mutation payload, and the
GraphQL error a query raises for one."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import strawberry
from graphql import GraphQLError

from domain.errors import UserError as DomainUserError
from domain.errors import UserErrors
from schema.types.enums import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["UserError", "raising_errors", "user_errors"]

T = TypeVar("T")


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
            code=e.code,
            retry_after=e.retry_after,
        )
        for e in errors
    ]


async def raising_errors(work: Callable[[], Awaitable[T]]) -> T:
    """What work returns; its UserErrors become a GraphQL error with their code and field."""
    try:
        return await work()
    except UserErrors as failure:
        first = failure.errors[0]
        raise GraphQLError(
            first.message, extensions={"code": first.code.value, "field": first.field}
        ) from None
