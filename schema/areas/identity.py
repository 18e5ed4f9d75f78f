"""Accounts: registration, sign-in, the caller's own account, profile and preferences."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.commands import PreferenceChanges, ProfileChanges, Registration
from resolvers.identity import (
    login,
    register,
    update_preferences,
    update_profile,
    visible_user,
)
from resolvers.own_views import own_views
from schema.info import Info
from schema.inputs import command, optional
from schema.payloads import Payload
from schema.types.enums import Difficulty, Role
from schema.types.own_selection import own_selection
from schema.types.profile import PreferencesType, ProfileType
from schema.types.user import UserType

if TYPE_CHECKING:
    from resolvers.sign_ins import SignedIn

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


@strawberry.input(description="A new account.")
class RegisterInput:
    username: str = strawberry.field(description="3-50 letters, digits, '_', '.' or '-'.")
    email: str = strawberry.field(description="A valid, unused email address.")
    password: str = strawberry.field(description="8 to 128 characters.")
    role: Role = strawberry.field(
        default=Role.STUDENT, description="STUDENT or TEACHER; ADMIN cannot be self-assigned."
    )
    first_name: str | None = optional("First name, for the profile.")
    last_name: str | None = optional("Last name, for the profile.")


@strawberry.input(description="Only the fields given change; null clears the optional ones.")
class UpdateProfileInput:
    first_name: str | None = optional("First name.")
    last_name: str | None = optional("Last name.")
    bio: str | None = optional("A few words about you.")
    avatar_url: str | None = optional("A picture's address (http or https).")
    timezone: str | None = optional("An IANA time zone, e.g. Europe/Paris.")
    language: str | None = optional("Preferred language, e.g. en.")


@strawberry.input(description="Only the fields given change.")
class UpdatePreferencesInput:
    daily_goal_minutes: int | None = optional("Study minutes a day to aim for.")
    preferred_difficulty: Difficulty | None = optional("The difficulty recommendations favour.")
    content_types: list[str] | None = optional("Any of text, video, quiz, interactive, reading.")
    dark_mode: bool | None = optional("Dark theme on or off.")
    notifications_enabled: bool | None = optional("Notifications on or off.")


@strawberry.type(description="The result of signing in or registering.")
class AuthPayload(Payload):
    token: str | None = strawberry.field(
        default=None,
        description="Send it as `Authorization: Bearer <token>`; short-lived (TOKEN_TTL_SECONDS): "
        "get the next one with refreshToken. Null on failure.",
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="Single use: the refreshToken mutation trades it for a new token and a new "
        "refresh token. Keep it secret; null on failure.",
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="When `token` expires; null on failure."
    )
    user: UserType | None = strawberry.field(
        default=None, description="The signed-in user; null on failure."
    )

    @classmethod
    def of(cls, signed_in: SignedIn) -> AuthPayload:
        return cls(
            token=signed_in.token,
            refresh_token=signed_in.refresh_token,
            expires_at=signed_in.expires_at,
            user=UserType.from_row(signed_in.user, to_owner=True),
        )


@strawberry.type(description="The result of changing a profile.")
class ProfilePayload(Payload):
    profile: ProfileType | None = strawberry.field(
        default=None, description="The profile as written; null on failure."
    )


@strawberry.type(description="The result of changing preferences.")
class PreferencesPayload(Payload):
    preferences: PreferencesType | None = strawberry.field(
        default=None, description="The preferences as written; null on failure."
    )


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The signed-in user; null when nobody is signed in.")
    async def me(self, info: Info) -> UserType | None:
        # the account and the views selected under it in one statement (schema/types/own_selection.py)
        read = await own_views(info.context, own_selection(info))
        return UserType.from_own(read) if read else None

    @strawberry.field(description="A user: for admins, the user themself, or their teachers.")
    async def user(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The user's id.")],
    ) -> UserType | None:  # the contract's name
        row = await visible_user(info.context, str(id))
        return UserType.from_row(row) if row else None


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Sign in; the token goes in `Authorization: Bearer <token>`.")
    async def login(
        self,
        info: Info,
        username: Annotated[str, strawberry.argument(description="Your username.")],
        password: Annotated[str, strawberry.argument(description="Your password.")],
    ) -> AuthPayload:
        return AuthPayload.of(await login(info.context, username, password))

    @strawberry.mutation(description="Create an account and sign in to it.")
    async def register(
        self,
        info: Info,
        input: Annotated[RegisterInput, strawberry.argument(description="The new account.")],
    ) -> AuthPayload:
        return AuthPayload.of(await register(info.context, command(input, Registration)))

    @strawberry.mutation(description="Change the signed-in user's profile.")
    async def update_profile(
        self,
        info: Info,
        input: Annotated[
            UpdateProfileInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> ProfilePayload:
        row = await update_profile(info.context, command(input, ProfileChanges))
        return ProfilePayload(profile=ProfileType.from_row(row))

    @strawberry.mutation(description="Change the signed-in user's learning preferences.")
    async def update_preferences(
        self,
        info: Info,
        input: Annotated[
            UpdatePreferencesInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> PreferencesPayload:
        row = await update_preferences(info.context, command(input, PreferenceChanges))
        return PreferencesPayload(preferences=PreferencesType.from_row(row))
