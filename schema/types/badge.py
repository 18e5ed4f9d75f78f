"""Badges: definitions with the rule that awards them, and a learner's awards."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from domain.badges import criteria

if TYPE_CHECKING:
    from persistence.sql.models import Achievement

__all__ = ["BadgeAwardType", "BadgeType"]


@strawberry.type(name="Badge", description="A badge and the rule that awards it.")
class BadgeType:
    code: str = strawberry.field(description="A stable code, e.g. streak_7.")
    title: str = strawberry.field(description="Its title.")
    description: str = strawberry.field(description="What it celebrates.")
    icon_url: str | None = strawberry.field(description="Where its picture is.")
    criteria: str = strawberry.field(description="The rule in words, e.g. 'Master 10 concepts'.")

    @classmethod
    def from_row(cls, row: Achievement) -> BadgeType:
        return cls(
            code=row.code,
            title=row.title,
            description=row.description,
            icon_url=row.icon_url,
            criteria=criteria(row.rule or "", row.threshold or 1) if row.rule else "",
        )


@strawberry.type(name="BadgeAward", description="A badge a learner earned (once).")
class BadgeAwardType:
    badge: BadgeType = strawberry.field(description="The badge.")
    awarded_at: datetime = strawberry.field(description="When it was earned.")
