"""The world every authorization case runs in: two teachers' courses side by side.

Each side has a teacher, a student enrolled in the teacher's course, and the teacher's concepts,
link, lesson, path, quiz, course and skill, with the student's progress, enrollments, attempt and mastery
on them. Callers act on the "own" side (the teacher's or student's own data) or on the "other"
side (someone else's); "missing" names ids that exist nowhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from domain.security import hash_password, new_secret, secret_digest
from persistence.sql.models import (
    AuthToken,
    Chapter,
    Concept,
    ConceptProgress,
    ConceptRelation,
    Course,
    CourseEnrollment,
    LearningPath,
    LearningPathItem,
    LearningSession,
    Lesson,
    PathEnrollment,
    Question,
    Quiz,
    QuizAttempt,
    Skill,
    SkillMastery,
    SyncConflict,
    Theory,
    User,
    theory_concepts,
    theory_skills,
)
from persistence.sql.study_sessions import LIVE

__all__ = ["PASSWORD", "Side", "World", "build_world"]

PASSWORD = "matrix-password"


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass(frozen=True)
class Side:
    """One teacher's corner of the world, as ids and names a request can carry."""

    teacher: str
    student: str
    student_id: str
    concept: str
    concept_name: str
    second_concept: str
    second_concept_name: str
    path: str
    quiz: str
    question: str
    course: str
    skill: str
    lesson: str
    session: str  # the student's open study session
    refresh_token: str  # the student's sign-in, as a refresh token
    verification_token: str  # the student's email-verification link's token
    reset_token: str  # the student's password-reset link's token


@dataclass(frozen=True)
class World:
    own: Side
    other: Side
    classmate: str  # a second student of the own course
    conflict: str  # an open sync conflict, for the operators' operations
    admin: str = "root"

    def side(self, name: str) -> Side:
        if name == "missing":
            return _missing_side()
        return self.own if name == "own" else self.other


def _missing_side() -> Side:
    def unknown() -> str:
        return str(uuid.uuid4())

    return Side(
        teacher="nobody",
        student="nobody",
        student_id=unknown(),
        concept=unknown(),
        concept_name="no_such_concept",
        second_concept=unknown(),
        second_concept_name="no_such_second_concept",
        path=unknown(),
        quiz=unknown(),
        question=unknown(),
        course=unknown(),
        skill=unknown(),
        lesson=unknown(),
        session=unknown(),
        refresh_token=new_secret(),
        verification_token=new_secret(),
        reset_token=new_secret(),
    )


def _user(session: Session, username: str, role: str) -> uuid.UUID:
    user = User(
        username=username,
        email=f"{username}@example.org",
        password_hash=_password_hash(),
        role=role,
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user.id


def _added(session: Session, row: object) -> uuid.UUID:
    session.add(row)
    session.flush()
    found: uuid.UUID = row.id  # type: ignore[attr-defined]
    return found


def _token(session: Session, user_id: uuid.UUID, kind: str) -> str:
    """A live token of `kind` for the user; its secret, as a link or a client would hold it."""
    secret = new_secret()
    family = uuid.uuid4() if kind == "refresh" else None
    expires_at = datetime.now(UTC) + timedelta(days=1)
    session.add(
        AuthToken(
            user_id=user_id,
            kind=kind,
            token_hash=secret_digest(secret),
            expires_at=expires_at,
            family_id=family,
        )
    )
    return secret


def _course(
    session: Session, prefix: str, teacher: uuid.UUID, concept: uuid.UUID, skill: uuid.UUID
) -> uuid.UUID:
    course = _added(session, Course(title=f"{prefix} course", teacher_id=teacher))
    chapter = _added(session, Chapter(course_id=course, name=f"{prefix} chapter", order_index=0))
    theory = _added(session, Theory(chapter_id=chapter, name=f"{prefix} theory", order_index=0))
    session.execute(insert(theory_skills).values(theory_id=theory, skill_id=skill))
    session.execute(insert(theory_concepts).values(theory_id=theory, concept_id=concept))
    return course


def _side(session: Session, prefix: str, teacher_name: str, student_name: str) -> Side:
    teacher = _user(session, teacher_name, "teacher")
    student = _user(session, student_name, "student")
    names = (f"{prefix}_basics", f"{prefix}_advanced")
    first, second = (
        _added(session, Concept(name=n, display_name=n, difficulty="beginner", created_by=teacher))
        for n in names
    )
    session.add(ConceptRelation(source_id=first, target_id=second, kind="prerequisite"))
    path = _added(
        session, LearningPath(title=f"{prefix} path", difficulty="beginner", created_by=teacher)
    )
    session.add(LearningPathItem(path_id=path, concept_id=first, order_index=0, is_required=True))
    quiz = _added(
        session,
        Quiz(concept_id=first, title=f"{prefix} quiz", passing_score=50, created_by=teacher),
    )
    question = _added(
        session,
        Question(
            quiz_id=quiz,
            order_index=0,
            prompt="Ready?",
            kind="single_choice",
            options=["yes", "no"],
            correct_answers=["yes"],
        ),
    )
    lesson = _added(session, Lesson(concept_id=first, title=f"{prefix} lesson"))
    study = _added(session, LearningSession(user_id=student, concept_id=first, source=LIVE))
    skill = _added(session, Skill(name=f"{prefix}_skill"))
    course = _course(session, prefix, teacher, first, skill)
    session.add_all(
        [
            CourseEnrollment(course_id=course, student_id=student),
            ConceptProgress(
                user_id=student, concept_id=first, status="in_progress", progress_percent=50
            ),
            PathEnrollment(user_id=student, path_id=path, status="in_progress"),
            QuizAttempt(
                quiz_id=quiz, user_id=student, answers={}, score=0, max_score=1, passed=False
            ),
            SkillMastery(
                user_id=student,
                skill_id=skill,
                current_mastery=0.5,
                confidence=0.5,
                mastery_category="developing",
            ),
        ]
    )
    session.flush()
    return Side(
        teacher=teacher_name,
        student=student_name,
        student_id=str(student),
        concept=str(first),
        concept_name=names[0],
        second_concept=str(second),
        second_concept_name=names[1],
        path=str(path),
        quiz=str(quiz),
        question=str(question),
        course=str(course),
        skill=str(skill),
        lesson=str(lesson),
        session=str(study),
        refresh_token=_token(session, student, "refresh"),
        verification_token=_token(session, student, "email_verification"),
        reset_token=_token(session, student, "password_reset"),
    )


def build_world(engine: Engine) -> World:
    """Writes the world into empty stores (the graph is left empty: no worker runs)."""
    with Session(engine) as session, session.begin():
        _user(session, "root", "admin")
        own = _side(session, "own", "tina", "sara")
        other = _side(session, "other", "otto", "stan")
        classmate = _user(session, "sue", "student")
        session.add(CourseEnrollment(course_id=uuid.UUID(own.course), student_id=classmate))
        conflict = _added(
            session,
            SyncConflict(
                entity_type="concept",
                entity_id=own.concept,
                source_version=1,
                target_version=1,
                source_data={},
                target_data={},
            ),
        )
    return World(own=own, other=other, classmate="sue", conflict=str(conflict))
