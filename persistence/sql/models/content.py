"""Concepts, their relations, lessons, and learning paths with ordered items."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.difficulty import Difficulty
from domain.relations import RelationKind
from persistence.sql.models.base import Base, Versioned, one_of

__all__ = ["Concept", "ConceptRelation", "LearningPath", "LearningPathItem", "Lesson"]

LESSON_CONTENT_TYPES = "('text', 'video', 'interactive', 'exercise')"


def _text_list() -> Mapped[list[str]]:
    return mapped_column(ARRAY(Text), nullable=False, default=list, server_default="{}")


class Concept(Versioned, Base):
    __tablename__ = "concepts"
    __table_args__ = (
        CheckConstraint("name ~ '^[a-z][a-z0-9_]*$'", name="name_snake_case"),
        CheckConstraint(one_of("difficulty", Difficulty), name="difficulty"),
        CheckConstraint("complexity_score BETWEEN 0 AND 10", name="complexity"),
        CheckConstraint("cognitive_load BETWEEN 0 AND 10", name="cognitive_load"),
        Index("ix_concepts_display_name_lower", text("lower(display_name)")),
    )

    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    detailed_description: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(String(100), index=True)
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    subcategory: Mapped[str | None] = mapped_column(String(100))
    difficulty: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    complexity_score: Mapped[float | None] = mapped_column(Float)
    cognitive_load: Mapped[float | None] = mapped_column(Float)
    key_terms: Mapped[list[str]] = _text_list()
    synonyms: Mapped[list[str]] = _text_list()
    learning_objectives: Mapped[list[str]] = _text_list()
    practical_applications: Mapped[list[str]] = _text_list()
    real_world_examples: Mapped[list[str]] = _text_list()
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class ConceptRelation(Versioned, Base):
    __tablename__ = "concept_relations"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "kind"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint(one_of("kind", RelationKind), name="kind"),
        CheckConstraint("strength BETWEEN 0 AND 1", name="strength"),
        Index("ix_concept_relations_target_kind", "target_id", "kind"),
    )

    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), nullable=False
    )
    target_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    strength: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)
    reason: Mapped[str | None] = mapped_column(Text)


class Lesson(Versioned, Base):
    """A unit of teaching on one concept; a concept's lessons are read in order_index order."""

    __tablename__ = "lessons"
    __table_args__ = (
        CheckConstraint(f"content_type IN {LESSON_CONTENT_TYPES}", name="content_type"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration"),
        CheckConstraint("order_index >= 0", name="order_index"),
        Index("ix_lessons_concept_order", "concept_id", "order_index"),
    )

    concept_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    content_type: Mapped[str] = mapped_column(
        String(16), nullable=False, default="text", server_default="text"
    )
    duration_minutes: Mapped[int] = mapped_column(
        Integer, nullable=False, default=10, server_default="10"
    )
    order_index: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class LearningPath(Versioned, Base):
    __tablename__ = "learning_paths"
    __table_args__ = (
        CheckConstraint(one_of("difficulty", Difficulty), name="difficulty"),
        CheckConstraint("estimated_hours >= 0", name="hours"),
    )

    title: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category: Mapped[str | None] = mapped_column(String(100))
    difficulty: Mapped[str] = mapped_column(String(16), nullable=False)
    estimated_hours: Mapped[float | None] = mapped_column(Float)
    target_audience: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class LearningPathItem(Base):
    __tablename__ = "learning_path_items"
    __table_args__ = (
        UniqueConstraint("path_id", "order_index"),
        CheckConstraint("order_index >= 0", name="order"),
    )

    path_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("learning_paths.id", ondelete="CASCADE"), primary_key=True
    )
    concept_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    order_index: Mapped[int] = mapped_column(Integer, nullable=False)
    is_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
