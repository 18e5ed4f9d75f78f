"""Achievement and badge definitions (a badge names the rule that awards it), and awards."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from persistence.sql.models.base import Base, new_id, utcnow_column

__all__ = ["Achievement", "AchievementAward"]


class Achievement(Base):
    __tablename__ = "achievements"
    __table_args__ = (
        CheckConstraint("kind IN ('achievement', 'badge')", name="kind"),
        CheckConstraint("kind = 'achievement' OR rule IS NOT NULL", name="badge_rule"),
        CheckConstraint("threshold IS NULL OR threshold >= 1", name="threshold"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="achievement")
    rule: Mapped[str | None] = mapped_column(String(32))
    threshold: Mapped[int | None] = mapped_column(Integer)
    icon_url: Mapped[str | None] = mapped_column(String(500))


class AchievementAward(Base):
    __tablename__ = "achievement_awards"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    achievement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), primary_key=True
    )
    awarded_at: Mapped[datetime] = utcnow_column()
