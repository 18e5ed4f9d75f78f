"""Learners' mirrored progress: concept progress, path enrollments and skill mastery."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from domain.events import EntityType
from domain.progress import DONE, ProgressStatus
from persistence.sql.models import (
    Concept,
    ConceptProgress,
    LearningPath,
    LearningPathItem,
    PathEnrollment,
    Skill,
    SkillMastery,
    User,
)
from persistence.sql.seed.data.activity import ENROLLMENTS, PROGRESS, SKILL_MASTERY, Progress

if TYPE_CHECKING:
    import uuid

    from persistence.sql.seed.seeding import Seeding

__all__ = ["load_concept_progress", "load_path_enrollments", "load_skill_mastery"]


def load_concept_progress(
    seeding: Seeding, users: dict[str, User], concepts: dict[str, Concept]
) -> None:
    for entry in PROGRESS:
        key = (users[entry.user].id, concepts[entry.concept].id)
        if seeding.session.get(ConceptProgress, key) is None:
            seeding.session.add(_progress_row(seeding, entry, *key))
            seeding.session.flush()
            seeding.edge_created(EntityType.CONCEPT_PROGRESS, *key)


def _progress_row(
    seeding: Seeding, entry: Progress, user_id: uuid.UUID, concept_id: uuid.UUID
) -> ConceptProgress:
    completed_days_ago = entry.completed_days_ago
    completed_at = None if completed_days_ago is None else seeding.days_ago(completed_days_ago)
    return ConceptProgress(
        user_id=user_id,
        concept_id=concept_id,
        status=entry.status,
        progress_percent=entry.percent,
        mastery_score=entry.mastery,
        time_spent_seconds=entry.minutes * 60,
        completed_at=completed_at,
        version=1,
    )


def load_path_enrollments(
    seeding: Seeding, users: dict[str, User], paths: dict[str, LearningPath]
) -> None:
    """Enrollments whose progress is the share of the path's required concepts done."""
    for username, title in ENROLLMENTS:
        key = (users[username].id, paths[title].id)
        if seeding.session.get(PathEnrollment, key) is None:
            status, percent = _path_progress(seeding, *key)
            seeding.session.add(
                PathEnrollment(
                    user_id=key[0],
                    path_id=key[1],
                    status=status,
                    progress_percent=percent,
                    enrolled_at=seeding.now - timedelta(days=7),
                    version=1,
                )
            )
            seeding.session.flush()
            seeding.edge_created(EntityType.PATH_ENROLLMENT, *key)


def _path_progress(seeding: Seeding, user_id: uuid.UUID, path_id: uuid.UUID) -> tuple[str, float]:
    statuses = seeding.session.execute(
        select(LearningPathItem.is_required, ConceptProgress.status)
        .outerjoin(
            ConceptProgress,
            (ConceptProgress.concept_id == LearningPathItem.concept_id)
            & (ConceptProgress.user_id == user_id),
        )
        .where(LearningPathItem.path_id == path_id)
    )
    items = [(is_required, status) for is_required, status in statuses]
    required = [status for is_required, status in items if is_required]
    percent = round(100 * sum(s in DONE for s in required) / max(len(required), 1), 1)
    if percent == 100:
        return ProgressStatus.COMPLETED, percent
    started = any(status is not None for _, status in items)
    return (ProgressStatus.IN_PROGRESS if started else ProgressStatus.NOT_STARTED), percent


def load_skill_mastery(seeding: Seeding, users: dict[str, User], skills: dict[str, Skill]) -> None:
    for entry in SKILL_MASTERY:
        key = (users[entry.user].id, skills[entry.skill].id)
        if seeding.session.get(SkillMastery, key) is None:
            seeding.session.add(
                SkillMastery(
                    user_id=key[0],
                    skill_id=key[1],
                    current_mastery=entry.mastery,
                    confidence=entry.confidence,
                    trend=entry.trend,
                    mastery_category=entry.category,
                    num_assessments=entry.assessments,
                    version=1,
                )
            )
            seeding.session.flush()
            seeding.edge_created(EntityType.SKILL_MASTERY, *key)
