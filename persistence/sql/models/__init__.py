"""Every table of the system of record, imported together so metadata is complete."""

from persistence.sql.models.assessment import Question, Quiz, QuizAttempt
from persistence.sql.models.audit import AuditEntry
from persistence.sql.models.base import Base
from persistence.sql.models.content import (
    Concept,
    ConceptRelation,
    LearningPath,
    LearningPathItem,
    Lesson,
)
from persistence.sql.models.courses import (
    Chapter,
    Course,
    CourseEnrollment,
    Reading,
    Skill,
    Theory,
    Video,
    reading_concepts,
    theory_concepts,
    theory_skills,
    video_concepts,
)
from persistence.sql.models.gamification import Achievement, AchievementAward
from persistence.sql.models.identity import AuthToken, LearningPreferences, Profile, User
from persistence.sql.models.mail import MailMessage
from persistence.sql.models.progress import (
    ConceptProgress,
    LearningSession,
    LessonProgress,
    PathEnrollment,
    SkillMastery,
)
from persistence.sql.models.sync import OutboxEvent, ReconciliationRun, SyncConflict, SyncState

__all__ = [
    "Achievement",
    "AchievementAward",
    "AuditEntry",
    "AuthToken",
    "Base",
    "Chapter",
    "Concept",
    "ConceptProgress",
    "ConceptRelation",
    "Course",
    "CourseEnrollment",
    "LearningPath",
    "LearningPathItem",
    "LearningPreferences",
    "LearningSession",
    "Lesson",
    "LessonProgress",
    "MailMessage",
    "OutboxEvent",
    "PathEnrollment",
    "Profile",
    "Question",
    "Quiz",
    "QuizAttempt",
    "Reading",
    "ReconciliationRun",
    "Skill",
    "SkillMastery",
    "SyncConflict",
    "SyncState",
    "Theory",
    "User",
    "Video",
    "reading_concepts",
    "theory_concepts",
    "theory_skills",
    "video_concepts",
]
