"""Learners' progress: on concepts, on paths, study sessions and skill mastery."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.mastery import MasteryCategory, Trend
from domain.progress import LessonStatus, ProgressStatus
from persistence.sql.models.base import Base, new_id, one_of, utcnow_column

__all__ = [
    "ConceptProgress",
    "LearningSession",
    "LessonProgress",
    "PathEnrollment",
    "SkillMastery",
]


def _version() -> Mapped[int]:
    return mapped_column(Integer, nullable=False, default=1, server_default="1")


def _updated_at() -> Mapped[datetime]:
    return mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


class ConceptProgress(Base):
    __tablename__ = "concept_progress"
    __table_args__ = (
        CheckConstraint(one_of("status", ProgressStatus), name="status"),
        CheckConstraint("progress_percent BETWEEN 0 AND 100", name="percent"),
        CheckConstraint("mastery_score BETWEEN 0 AND 1", name="mastery"),
        CheckConstraint("time_spent_seconds >= 0", name="time"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    concept_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    progress_percent: Mapped[float] = mapped_column(Float, nullable=False, default=0)
    mastery_score: Mapped[float] = mapped_column(Float, nullable=False, default=0)
    time_spent_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = _version()
    updated_at: Mapped[datetime] = _updated_at()


class PathEnrollment(Base):
    __tablename__ = "path_enrollments"
    __table_args__ = (
        CheckConstraint(one_of("status", ProgressStatus), name="status"),
        CheckConstraint("progress_percent BETWEEN 0 AND 100", name="percent"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    path_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("learning_paths.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, default=ProgressStatus.NOT_STARTED
    )
    progress_percent: Mapped[float] = mapped_column(Float, nullable=False, default=0)
    enrolled_at: Mapped[datetime] = utcnow_column()
    version: Mapped[int] = _version()
    updated_at: Mapped[datetime] = _updated_at()


class LearningSession(Base):
    """Time a learner spent studying, the source of time-spent and streak figures.

    A live session is open (ended_at null) until the learner ends it, starts another, or stays
    idle past the limit; a learner has at most one open session. Progress updates record
    closed sessions of the time they report.
    """

    __tablename__ = "learning_sessions"
    __table_args__ = (
        CheckConstraint("duration_seconds >= 0", name="duration"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ended_after_start"),
        Index("ix_learning_sessions_user_started", "user_id", "started_at"),
        Index(
            "uq_learning_sessions_one_open",
            "user_id",
            unique=True,
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    concept_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("concepts.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime] = utcnow_column()
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_activity_at: Mapped[datetime] = utcnow_column()
    duration_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    source: Mapped[str] = mapped_column(String(32), nullable=False, default="progress")


class LessonProgress(Base):
    """A learner's standing on one lesson."""

    __tablename__ = "lesson_progress"
    __table_args__ = (CheckConstraint(one_of("status", LessonStatus), name="status"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    lesson_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = _updated_at()


class SkillMastery(Base):
    __tablename__ = "skill_mastery"
    __table_args__ = (
        CheckConstraint("current_mastery BETWEEN 0 AND 1", name="mastery"),
        CheckConstraint("confidence BETWEEN 0 AND 1", name="confidence"),
        CheckConstraint(one_of("trend", Trend), name="trend"),
        CheckConstraint(one_of("mastery_category", MasteryCategory), name="category"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    current_mastery: Mapped[float] = mapped_column(Float, nullable=False)
    confidence: Mapped[float] = mapped_column(Float, nullable=False)
    trend: Mapped[str] = mapped_column(String(16), nullable=False, default=Trend.STABLE)
    mastery_category: Mapped[str] = mapped_column(String(16), nullable=False)
    num_assessments: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    version: Mapped[int] = _version()
    updated_at: Mapped[datetime] = _updated_at()
