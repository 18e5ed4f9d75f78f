"""Courses, enrollment and their structure: chapters, theories, skills, readings, videos."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.sql.models.base import Base, Versioned, utcnow_column

__all__ = [
    "Chapter",
    "Course",
    "CourseEnrollment",
    "Reading",
    "Skill",
    "Theory",
    "Video",
    "reading_concepts",
    "theory_concepts",
    "theory_skills",
    "video_concepts",
]


class Course(Versioned, Base):
    __tablename__ = "courses"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    teacher_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False, index=True
    )


class CourseEnrollment(Base):
    __tablename__ = "course_enrollments"

    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    enrolled_at: Mapped[datetime] = utcnow_column()


class Chapter(Versioned, Base):
    __tablename__ = "chapters"

    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    order_index: Mapped[int] = mapped_column(Integer, nullable=False)


class Theory(Versioned, Base):
    __tablename__ = "theories"

    chapter_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chapters.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    order_index: Mapped[int] = mapped_column(Integer, nullable=False)


class Skill(Versioned, Base):
    """A skill is shared by name across theories, so mastery survives a re-import."""

    __tablename__ = "skills"

    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Reading(Versioned, Base):
    __tablename__ = "readings"

    theory_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("theories.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    url: Mapped[str | None] = mapped_column(String(1000))
    order_index: Mapped[int] = mapped_column(Integer, nullable=False)


class Video(Versioned, Base):
    __tablename__ = "videos"

    theory_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("theories.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    url: Mapped[str | None] = mapped_column(String(1000))
    order_index: Mapped[int] = mapped_column(Integer, nullable=False)


def _link(name: str, left: str, right: str) -> Table:
    left_table, left_column = left.split(".")
    right_table, right_column = right.split(".")
    return Table(
        name,
        Base.metadata,
        Column(left_column, ForeignKey(f"{left_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            right_column,
            ForeignKey(f"{right_table}.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


theory_skills = _link("theory_skills", "theories.theory_id", "skills.skill_id")
theory_concepts = _link("theory_concepts", "theories.theory_id", "concepts.concept_id")
reading_concepts = _link("reading_concepts", "readings.reading_id", "concepts.concept_id")
video_concepts = _link("video_concepts", "videos.video_id", "concepts.concept_id")
