"""Learners' history the graph does not mirror: study sessions, quiz attempts, achievements."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from sqlalchemy import exists, select

from domain.achievements import RULES
from domain.grading import QuestionKind
from persistence.sql.badges import ensure_badge_catalogue
from persistence.sql.models import (
    Achievement,
    AchievementAward,
    Concept,
    LearningSession,
    Question,
    QuizAttempt,
    User,
)
from persistence.sql.seed.data.activity import ATTEMPTS, AWARDS, SESSIONS, Attempt

if TYPE_CHECKING:
    from persistence.sql.seed.quizzes import SeededQuiz
    from persistence.sql.seed.seeding import Seeding

__all__ = ["load_achievements", "load_learning_sessions", "load_quiz_attempts"]

SOURCE = "demo"


def load_learning_sessions(
    seeding: Seeding, users: dict[str, User], concepts: dict[str, Concept]
) -> None:
    """A learner's demo sessions are written once: none are added if any exist."""
    for username, sessions in groupby(SESSIONS, key=lambda entry: entry.user):
        user_id = users[username].id
        seeded = exists().where(
            LearningSession.user_id == user_id, LearningSession.source == SOURCE
        )
        if seeding.session.scalar(select(seeded)):
            continue
        rows = [
            LearningSession(
                user_id=user_id,
                concept_id=concepts[entry.concept].id,
                started_at=seeding.days_ago(entry.days_ago),
                ended_at=seeding.days_ago(entry.days_ago) + timedelta(minutes=entry.minutes),
                last_activity_at=seeding.days_ago(entry.days_ago)
                + timedelta(minutes=entry.minutes),
                duration_seconds=entry.minutes * 60,
                source=SOURCE,
            )
            for entry in sessions
        ]
        seeding.session.add_all(rows)
        seeding.row_created("learning_session", len(rows))


def load_quiz_attempts(
    seeding: Seeding, users: dict[str, User], quizzes: dict[str, SeededQuiz]
) -> None:
    """A learner's demo attempts at a quiz are written once: none are added if any exist."""
    for (username, title), attempts in groupby(ATTEMPTS, key=lambda entry: entry[:2]):
        user_id, seeded = users[username].id, quizzes[title]
        tried = exists().where(
            QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == seeded.quiz.id
        )
        if seeding.session.scalar(select(tried)):
            continue
        rows = [_attempt(seeding, user_id, seeded, attempt) for attempt in attempts]
        seeding.session.add_all(rows)
        seeding.row_created("quiz_attempt", len(rows))


def _attempt(
    seeding: Seeding, user_id: object, seeded: SeededQuiz, attempt: Attempt
) -> QuizAttempt:
    pairs = list(zip(seeded.questions, attempt.answers, strict=True))
    score = float(sum(question.points for question, given in pairs if _correct(question, given)))
    max_score = float(sum(question.points for question in seeded.questions))
    submitted_at = seeding.days_ago(attempt.days_ago)
    return QuizAttempt(
        quiz_id=seeded.quiz.id,
        user_id=user_id,
        answers={str(question.id): given for question, given in pairs},
        score=score,
        max_score=max_score,
        passed=100 * score / max_score >= seeded.quiz.passing_score,
        started_at=submitted_at - timedelta(minutes=6),
        submitted_at=submitted_at,
    )


def _correct(question: Question, given: list[str]) -> bool:
    expected = {answer.strip().casefold() for answer in question.correct_answers}
    answers = {answer.strip().casefold() for answer in given}
    if question.kind == QuestionKind.SHORT_TEXT:
        return len(answers) == 1 and answers <= expected
    return answers == expected


def load_achievements(seeding: Seeding, users: dict[str, User]) -> None:
    """The achievement rules' definitions upserted by code (their wording is the domain's), the
    badge catalogue, then the demo awards."""
    ensure_badge_catalogue(seeding.session)
    found = seeding.session.scalars(select(Achievement)).all()
    by_code = {achievement.code: achievement for achievement in found}
    for rule in RULES:
        code, title, description = rule.code, rule.title, rule.description
        achievement = by_code.get(code)
        if achievement is None:
            achievement = Achievement(code=code, title=title, description=description)
            seeding.session.add(achievement)
            seeding.row_created("achievement")
            by_code[code] = achievement
        elif (achievement.title, achievement.description) != (title, description):
            achievement.title, achievement.description = title, description
    seeding.session.flush()
    for award in AWARDS:
        key = (users[award.user].id, by_code[award.code].id)
        if seeding.session.get(AchievementAward, key) is None:
            seeding.session.add(
                AchievementAward(
                    user_id=key[0],
                    achievement_id=key[1],
                    awarded_at=seeding.days_ago(award.days_ago),
                )
            )
            seeding.row_created("achievement_award")
