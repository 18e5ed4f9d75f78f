"""A user's profile (public) and learning preferences (for themself and admins only)."""

from __future__ import annotations

import strawberry

from persistence.sql.models import LearningPreferences, Profile
from schema.types.enums import Difficulty

__all__ = ["PreferencesType", "ProfileType"]


@strawberry.type(name="Profile", description="Who a user is, as they describe themself.")
class ProfileType:
    first_name: str | None
    last_name: str | None
    bio: str | None
    avatar_url: str | None
    timezone: str = strawberry.field(description="An IANA time zone, e.g. Europe/Paris.")
    language: str

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
    daily_goal_minutes: int
    preferred_difficulty: Difficulty
    content_types: list[str] = strawberry.field(
        description="Any of text, video, quiz, interactive, reading."
    )
    dark_mode: bool
    notifications_enabled: bool

    @classmethod
    def from_row(cls, row: LearningPreferences) -> PreferencesType:
        return cls(
            daily_goal_minutes=row.daily_goal_minutes,
            preferred_difficulty=Difficulty(row.preferred_difficulty),
            content_types=list(row.content_types),
            dark_mode=row.dark_mode,
            notifications_enabled=row.notifications_enabled,
        )
