"""The User type: an account as others may see it; private parts only to itself and admins."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.utils.await_maybe import AwaitableOrValue

from persistence.sql.models import User
from persistence.sql.reads.learner import LearnerRead
from resolvers.identity import may_see_private, preferences_of, profile_of
from schema.info import Info
from schema.types.enums import Role
from schema.types.learner import LearnerViews
from schema.types.profile import PreferencesType, ProfileType

__all__ = ["UserType"]


@strawberry.type(name="User", description="An account: a student, teacher or admin.")
class UserType(LearnerViews):
    id: strawberry.ID = strawberry.field(description="The user's id.")
    username: str = strawberry.field(description="The unique sign-in name.")
    role: Role = strawberry.field(description="What the user may do.")
    created_at: datetime = strawberry.field(description="When the account was made.")
    account_email: strawberry.Private[str] = ""
    shown_to_owner: strawberry.Private[bool] = False
    account: strawberry.Private[User | None] = None
    own: strawberry.Private[LearnerRead | None] = None  # what `me` read in one statement

    @classmethod
    def from_row(cls, row: User, *, to_owner: bool = False) -> UserType:
        """to_owner: the answer goes to this user (register, login) even before a token exists."""
        return cls(
            id=strawberry.ID(str(row.id)),
            username=row.username,
            role=Role(row.role),
            created_at=row.created_at,
            account_email=row.email,
            shown_to_owner=to_owner,
            account=row,
        )

    @classmethod
    def from_own(cls, read: LearnerRead) -> UserType:
        """The signed-in user as `me` read them, with the views they selected."""
        user = cls.from_row(read.account)
        user.own = read
        return user

    @property
    def user_id(self) -> uuid.UUID:
        return uuid.UUID(str(self.id))

    def _private_to(self, info: Info) -> bool:
        return self.shown_to_owner or may_see_private(info.context, self.user_id)

    @strawberry.field(description="Only for the user themself and admins; null for others.")
    def email(self, info: Info) -> str | None:
        return self.account_email if self._private_to(info) else None

    @strawberry.field(description="Whether the account may sign in; null for others.")
    def is_active(self, info: Info) -> bool | None:
        if self.account is None or not self._private_to(info):
            return None
        return self.account.is_active

    @strawberry.field(description="Whether the email address was verified; null for others.")
    def email_verified(self, info: Info) -> bool | None:
        if self.account is None or not self._private_to(info):
            return None
        return self.account.email_verified_at is not None

    @strawberry.field(description="The latest sign-in; null for others or before the first.")
    def last_login_at(self, info: Info) -> datetime | None:
        if self.account is None or not self._private_to(info):
            return None
        return self.account.last_login_at

    @strawberry.field(
        description="How the user describes themself; null when they have no profile yet.",
        graphql_type=ProfileType | None,
    )
    def profile(self, info: Info) -> AwaitableOrValue[ProfileType | None]:
        if self.own is not None and self.own.selected.profile:
            return ProfileType.from_row(self.own.profile) if self.own.profile else None
        return self._load_profile(info)

    async def _load_profile(self, info: Info) -> ProfileType | None:
        row = await profile_of(info.context, self.user_id)
        return ProfileType.from_row(row) if row else None

    @strawberry.field(
        description="Only for the user themself and admins; null for others.",
        graphql_type=PreferencesType | None,
    )
    def preferences(self, info: Info) -> AwaitableOrValue[PreferencesType | None]:
        if not self._private_to(info):
            return None
        if self.own is not None and self.own.selected.preferences:
            found = self.own.preferences
            return PreferencesType.from_row(found) if found else None
        return self._load_preferences(info)

    async def _load_preferences(self, info: Info) -> PreferencesType | None:
        row = await preferences_of(info.context, self.user_id)
        return PreferencesType.from_row(row) if row else None
