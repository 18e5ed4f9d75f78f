"""Sign-in and account mutations."""

from __future__ import annotations

import strawberry

from resolvers.identity import login
from schema.errors import UserError
from schema.info import Info
from schema.payloads import returning_errors
from schema.types.user import UserType

__all__ = ["AuthPayload", "IdentityMutation"]


@strawberry.type
class AuthPayload:
    token: str | None = None
    user: UserType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Sign in; the token goes in `Authorization: Bearer <token>`.")
    async def login(self, info: Info, username: str, password: str) -> AuthPayload:
        async def work() -> AuthPayload:
            signed_in = await login(info.context, username, password)
            return AuthPayload(token=signed_in.token, user=UserType.from_row(signed_in.user))

        return await returning_errors(work, AuthPayload)
