"""Account security: refreshing and ending sign-ins, passwords, email verification."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.email_verification import request_email_verification, verify_email
from resolvers.passwords import change_password, request_password_reset, reset_password
from resolvers.sign_ins import refresh, sign_out
from schema.info import Info
from schema.payloads import Payload
from schema.types.user import UserType

__all__ = [
    "AccountMutation",
    "ChangePasswordPayload",
    "LogoutPayload",
    "OkPayload",
    "RefreshPayload",
    "VerifyEmailPayload",
]


@strawberry.type(description="The next tokens of a sign-in.")
class RefreshPayload(Payload):
    token: str | None = strawberry.field(
        default=None, description="A new access token; null on failure."
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="The sign-in's next refresh token (the one sent is used up); null on failure.",
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="When `token` expires; null on failure."
    )


@strawberry.type(description="The result of signing out.")
class LogoutPayload(Payload):
    revoked: bool | None = strawberry.field(
        default=None, description="True once the sign-in (or every sign-in) has ended."
    )


@strawberry.type(description="The result of an action with nothing else to return.")
class OkPayload(Payload):
    ok: bool | None = strawberry.field(default=None, description="True on success.")


@strawberry.type(description="The result of changing one's password.")
class ChangePasswordPayload(Payload):
    ok: bool | None = strawberry.field(default=None, description="True on success.")
    token: str | None = strawberry.field(
        default=None,
        description="A new access token for this sign-in: the change revoked every token "
        "issued before (this sign-in's refresh token still works). Null on failure.",
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="When `token` expires; null on failure."
    )


@strawberry.type(description="The result of verifying an email address.")
class VerifyEmailPayload(Payload):
    user: UserType | None = strawberry.field(
        default=None, description="The user whose address is now verified; null on failure."
    )


@strawberry.type
class AccountMutation:
    @strawberry.mutation(
        description="Trade a refresh token for a new access token and the next refresh token. "
        "A used, revoked or expired one gets TOKEN_INVALID or TOKEN_EXPIRED; a used one sent "
        "again ends its whole sign-in (it was copied)."
    )
    async def refresh_token(
        self,
        info: Info,
        refresh_token: Annotated[
            str, strawberry.argument(description="The refresh token from login or refreshToken.")
        ],
    ) -> RefreshPayload:
        signed_in = await refresh(info.context, refresh_token)
        return RefreshPayload(
            token=signed_in.token,
            refresh_token=signed_in.refresh_token,
            expires_at=signed_in.expires_at,
        )

    @strawberry.mutation(
        description="Sign out: this sign-in's access and refresh tokens stop working, or with "
        "allSessions every token of the user."
    )
    async def logout(
        self,
        info: Info,
        all_sessions: Annotated[
            bool | None, strawberry.argument(description="End every sign-in, not only this one.")
        ] = False,
    ) -> LogoutPayload:
        return LogoutPayload(revoked=await sign_out(info.context, everywhere=bool(all_sessions)))

    @strawberry.mutation(
        description="Change the signed-in user's password; every other sign-in ends."
    )
    async def change_password(
        self,
        info: Info,
        current_password: Annotated[str, strawberry.argument(description="The password now.")],
        new_password: Annotated[str, strawberry.argument(description="8 to 128 characters.")],
    ) -> ChangePasswordPayload:
        signed_in = await change_password(info.context, current_password, new_password)
        return ChangePasswordPayload(
            ok=True, token=signed_in.token, expires_at=signed_in.expires_at
        )

    @strawberry.mutation(
        description="Mail the signed-in user a single-use link that verifies their address."
    )
    async def request_email_verification(self, info: Info) -> OkPayload:
        await request_email_verification(info.context)
        return OkPayload(ok=True)

    @strawberry.mutation(description="Verify an email address with the token of its link.")
    async def verify_email(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="The token of the mailed link.")],
    ) -> VerifyEmailPayload:
        user = await verify_email(info.context, token)
        return VerifyEmailPayload(user=UserType.from_row(user, to_owner=True))

    @strawberry.mutation(
        description="Mail a single-use password-reset link to the address, if an account has "
        "it; the answer is the same either way."
    )
    async def request_password_reset(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's email address.")],
    ) -> OkPayload:
        await request_password_reset(info.context, email)
        return OkPayload(ok=True)

    @strawberry.mutation(
        description="Set a new password with the token of a reset link; every sign-in ends."
    )
    async def reset_password(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="The token of the mailed link.")],
        new_password: Annotated[str, strawberry.argument(description="8 to 128 characters.")],
    ) -> OkPayload:
        await reset_password(info.context, token, new_password)
        return OkPayload(ok=True)
