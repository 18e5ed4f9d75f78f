"""Accounts: registration, sign-in, the caller's own account, profile and preferences."""

from __future__ import annotations

import strawberry

from resolvers.identity import (
    login,
    register,
    signed_in_user,
    update_preferences,
    update_profile,
    visible_user,
)
from schema.errors import UserError
from schema.info import Info
from schema.payloads import input_fields, returning_errors
from schema.types.enums import Difficulty, Role
from schema.types.profile import PreferencesType, ProfileType
from schema.types.user import UserType

__all__ = [
    "AuthPayload",
    "IdentityMutation",
    "IdentityQuery",
    "PreferencesPayload",
    "ProfilePayload",
    "RegisterInput",
    "UpdatePreferencesInput",
    "UpdateProfileInput",
]


@strawberry.input
class RegisterInput:
    username: str = strawberry.field(description="3-50 letters, digits, '_', '.' or '-'.")
    email: str
    password: str = strawberry.field(description="8 to 128 characters.")
    role: Role = strawberry.field(
        default=Role.STUDENT, description="STUDENT or TEACHER; ADMIN cannot be self-assigned."
    )
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change; null clears the optional ones.")
class UpdateProfileInput:
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET
    avatar_url: str | None = strawberry.UNSET
    timezone: str | None = strawberry.UNSET
    language: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change.")
class UpdatePreferencesInput:
    daily_goal_minutes: int | None = strawberry.UNSET
    preferred_difficulty: Difficulty | None = strawberry.UNSET
    content_types: list[str] | None = strawberry.UNSET
    dark_mode: bool | None = strawberry.UNSET
    notifications_enabled: bool | None = strawberry.UNSET


@strawberry.type
class AuthPayload:
    token: str | None = None
    user: UserType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProfilePayload:
    profile: ProfileType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PreferencesPayload:
    preferences: PreferencesType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The signed-in user; null when nobody is signed in.")
    async def me(self, info: Info) -> UserType | None:
        row = await signed_in_user(info.context)
        return UserType.from_row(row) if row else None

    @strawberry.field(description="A user: for admins, the user themself, or their teachers.")
    async def user(self, info: Info, id: strawberry.ID) -> UserType | None:  # the contract's name
        row = await visible_user(info.context, str(id))
        return UserType.from_row(row) if row else None


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Sign in; the token goes in `Authorization: Bearer <token>`.")
    async def login(self, info: Info, username: str, password: str) -> AuthPayload:
        async def work() -> AuthPayload:
            signed_in = await login(info.context, username, password)
            return AuthPayload(
                token=signed_in.token, user=UserType.from_row(signed_in.user, to_owner=True)
            )

        return await returning_errors(work, AuthPayload)

    @strawberry.mutation(description="Create an account and sign in to it.")
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        async def work() -> AuthPayload:
            signed_in = await register(info.context, input_fields(input))
            return AuthPayload(
                token=signed_in.token, user=UserType.from_row(signed_in.user, to_owner=True)
            )

        return await returning_errors(work, AuthPayload)

    @strawberry.mutation(description="Change the signed-in user's profile.")
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> ProfilePayload:
        async def work() -> ProfilePayload:
            row = await update_profile(info.context, input_fields(input))
            return ProfilePayload(profile=ProfileType.from_row(row))

        return await returning_errors(work, ProfilePayload)

    @strawberry.mutation(description="Change the signed-in user's learning preferences.")
    async def update_preferences(
        self, info: Info, input: UpdatePreferencesInput
    ) -> PreferencesPayload:
        async def work() -> PreferencesPayload:
            row = await update_preferences(info.context, input_fields(input))
            return PreferencesPayload(preferences=PreferencesType.from_row(row))

        return await returning_errors(work, PreferencesPayload)
