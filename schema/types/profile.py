"""A user's profile (public) and learning preferences (for themself and admins only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from schema.types.enums import Difficulty

if TYPE_CHECKING:
    from persistence.sql.models import LearningPreferences, Profile

__all__ = ["PreferencesType", "ProfileType"]


@strawberry.type(name="Profile", description="Who a user is, as they describe themself.")
class ProfileType:
    first_name: str | None = strawberry.field(description="First name, if given.")
    last_name: str | None = strawberry.field(description="Last name, if given.")
    bio: str | None = strawberry.field(description="A few words about them, if given.")
    avatar_url: str | None = strawberry.field(description="A picture's address, if given.")
    timezone: str = strawberry.field(description="An IANA time zone, e.g. Europe/Paris.")
    language: str = strawberry.field(description="Preferred language, e.g. en.")

    @classmethod
    def from_row(cls, row: Profile) -> ProfileType:
        return cls(
            first_name=row.first_name,
            last_name=row.last_name,
            bio=row.bio,
            avatar_url=row.avatar_url,
            timezone=row.timezone,
            language=row.language,
        )


@strawberry.type(name="Preferences", description="How a learner likes to learn.")
class PreferencesType:
    daily_goal_minutes: int = strawberry.field(
        description="Study minutes a day the learner aims for."
    )
    preferred_difficulty: Difficulty = strawberry.field(
        description="The difficulty recommendations favour."
    )
    content_types: list[str] = strawberry.field(
        description="Any of text, video, quiz, interactive, reading."
    )
    dark_mode: bool = strawberry.field(description="Whether the frontend shows a dark theme.")
    notifications_enabled: bool = strawberry.field(
        description="Whether the learner wants notifications."
    )

    @classmethod
    def from_row(cls, row: LearningPreferences) -> PreferencesType:
        return cls(
            daily_goal_minutes=row.daily_goal_minutes,
            preferred_difficulty=Difficulty(row.preferred_difficulty),
            content_types=list(row.content_types),
            dark_mode=row.dark_mode,
            notifications_enabled=row.notifications_enabled,
        )
