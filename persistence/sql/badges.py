"""The badge catalogue in SQL and awarding badges whose rule a learner's figures meet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from domain.badges import CATALOGUE, earned
from persistence.sql.models import Achievement, AchievementAward

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import Session

    from domain.achievements import LearnerStats

__all__ = ["award_badges", "ensure_badge_catalogue"]


def ensure_badge_catalogue(session: Session) -> None:
    """Installs the catalogue's badges, updating their wording and rule; idempotent."""
    rows = [
        {
            "code": badge.code,
            "title": badge.title,
            "description": badge.description,
            "kind": "badge",
            "rule": badge.rule.value,
            "threshold": badge.threshold,
            "icon_url": badge.icon_url,
        }
        for badge in CATALOGUE
    ]
    statement = insert(Achievement).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[Achievement.code],
            set_={
                name: statement.excluded[name]
                for name in ("title", "description", "kind", "rule", "threshold", "icon_url")
            },
        )
    )


async def award_badges(
    session: AsyncSession, user_id: uuid.UUID, stats: LearnerStats
) -> list[Achievement]:
    """Awards, once, every badge whose rule the stats meet; returns the new ones."""
    badges = (await session.scalars(select(Achievement).where(Achievement.kind == "badge"))).all()
    met = [b for b in badges if b.rule and earned(b.rule, b.threshold or 1, stats)]
    if not met:
        return []
    rows = [{"user_id": user_id, "achievement_id": badge.id} for badge in met]
    statement = insert(AchievementAward).values(rows).on_conflict_do_nothing()
    new_ids = set(
        (await session.scalars(statement.returning(AchievementAward.achievement_id))).all()
    )
    return [badge for badge in met if badge.id in new_ids]
