"""Who may do what: every contract operation, each kind of caller, and the outcome expected.

One row per operation of the contract files (tests/contract/*.graphql). A row says which
variables the request carries for a side of the world (the caller's own data, someone else's)
and, for each caller, what must come back: OK, a refusal code, or what a query shows. Add a
row when an operation joins a contract; test_matrix checks that every offered one has a row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.security.authz.world import PASSWORD, Side, World

__all__ = [
    "ACTORS",
    "CALLER",
    "MATRIX",
    "SIDE",
    "Row",
    "caller_name",
    "outcome_of_mutation",
]

# Who calls, and on whose data: the own side is the caller's (or their course's), the other
# side another teacher's course with another student.
ACTORS = (
    "anonymous",
    "student_own",
    "student_other",
    "teacher_own",
    "teacher_other",
    "admin",
)
CALLER = {
    "anonymous": None,
    "student_own": "student",
    "student_other": "student",
    "teacher_own": "teacher",
    "teacher_other": "teacher",
    "admin": "admin",
}
SIDE = {
    "anonymous": "own",
    "student_own": "own",
    "student_other": "other",
    "teacher_own": "own",
    "teacher_other": "other",
    "admin": "own",
}

OK = "OK"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"

Variables = Callable[[World, Side], dict[str, Any]]
Observe = Callable[[dict[str, Any], World], str]


def caller_name(actor: str, world: World) -> str | None:
    """The username the actor signs in as (the own side's student or teacher, or the admin)."""
    role = CALLER[actor]
    if role is None:
        return None
    return {"student": world.own.student, "teacher": world.own.teacher, "admin": world.admin}[role]


def _error_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    if not errors:
        return None
    return str((errors[0].get("extensions") or {}).get("code", "ERROR"))


def outcome_of_mutation(body: dict[str, Any], _world: World) -> str:
    """OK, or the code of the first error (in the payload or at the top)."""
    top = _error_code(body)
    if top is not None:
        return top
    (payload,) = body["data"].values()
    errors = payload["errors"]
    return OK if not errors else str(errors[0]["code"])


def answered(body: dict[str, Any], _world: World) -> str:
    """OK when a query answered without errors and with data, else the error code."""
    top = _error_code(body)
    if top is not None:
        return top
    (value,) = body["data"].values()
    return OK if value is not None else "NULL"


def whose_dashboard(body: dict[str, Any], _world: World) -> str:
    me = body["data"]["me"]
    return "none" if me is None else "self"


def which_stats(body: dict[str, Any], world: World) -> str:
    """all: concepts with a single learner show; floored: only those with enough learners."""
    shown = {row["concept"]["id"] for row in body["data"]["conceptStats"]}
    return "all" if world.own.concept in shown else "floored"


def which_students(body: dict[str, Any], world: World) -> str:
    """all, self (only the caller) or none of the course's students."""
    course = body["data"]["course"]
    names = {student["username"] for student in course["students"]}
    if not names:
        return "none"
    return "self" if len(names) == 1 and names <= {world.own.student} else "all"


def _fresh(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def _expect(**given: str) -> dict[str, str]:
    assert set(given) == set(ACTORS), set(ACTORS) ^ set(given)
    return given


PUBLIC = _expect(
    anonymous=OK, student_own=OK, student_other=OK, teacher_own=OK, teacher_other=OK, admin=OK
)
SELF = {**PUBLIC, "anonymous": UNAUTHENTICATED}
AUTHORS = {**SELF, "student_own": FORBIDDEN, "student_other": FORBIDDEN}
OWNER = {**AUTHORS, "teacher_other": FORBIDDEN}
ADMINS = {**AUTHORS, "teacher_own": FORBIDDEN, "teacher_other": FORBIDDEN}
STUDENTS = {**SELF, "teacher_own": FORBIDDEN, "teacher_other": FORBIDDEN, "admin": FORBIDDEN}
MINE = {**{actor: "self" for actor in ACTORS}, "anonymous": "none"}  # `me`: the caller's own


@dataclass(frozen=True)
class Row:
    operation: str
    variables: Variables
    expect: Mapping[str, str]
    observe: Observe = outcome_of_mutation
    # allowed writes that change nothing for these callers (joining a course twice, say)
    idempotent_for: frozenset[str] = field(default_factory=frozenset)


def _none(_world: World, _side: Side) -> dict[str, Any]:
    return {}


QUIZ = {
    "title": "New quiz",
    "passingScore": 50,
    "questions": [
        {"prompt": "Q?", "kind": "SINGLE_CHOICE", "options": ["a", "b"], "correctAnswers": ["a"]}
    ],
}

ROWS = [
    # ------------------------------------------------------------ identity
    Row(
        "Register",
        lambda w, s: {
            "input": {
                "username": (name := _fresh("new")),
                "email": f"{name}@example.org",
                "password": "new-password-1",
            }
        },
        PUBLIC,
    ),
    Row("Login", lambda w, s: {"username": s.student, "password": PASSWORD}, PUBLIC),
    Row("UpdateProfile", lambda w, s: {"input": {"bio": "changed"}}, SELF),
    Row("UpdatePreferences", lambda w, s: {"input": {"dailyGoalMinutes": 45}}, SELF),
    # ------------------------------------------------------------ learner views
    Row("Dashboard", _none, MINE, whose_dashboard),
    Row("Concepts", lambda w, s: {"first": 10}, PUBLIC, answered),
    Row("ConceptPage", lambda w, s: {"name": s.concept_name}, PUBLIC, answered),
    Row(
        "ConceptNeighborhood",
        lambda w, s: {"name": s.concept_name, "depth": 1},
        PUBLIC,
        answered,
    ),
    Row(
        "PrerequisiteRoute",
        lambda w, s: {"from": s.concept_name, "to": s.second_concept_name},
        PUBLIC,
        answered,
    ),
    Row("PathsContaining", lambda w, s: {"name": s.concept_name}, PUBLIC, answered),
    Row("SharedConcepts", lambda w, s: {"minPaths": 1}, PUBLIC, answered),
    Row(
        "ConceptStats",
        lambda w, s: {"first": 50},
        _expect(
            anonymous="floored",
            student_own="floored",
            student_other="floored",
            teacher_own="all",
            teacher_other="all",
            admin="all",
        ),
        which_stats,
    ),
    Row("LearningPaths", lambda w, s: {"first": 10}, PUBLIC, answered),
    Row("LearningPath", lambda w, s: {"id": s.path}, PUBLIC, answered),
    Row(
        "Course",
        lambda w, s: {"id": s.course},
        _expect(
            anonymous="none",
            student_own="self",
            student_other="none",
            teacher_own="all",
            teacher_other="none",
            admin="all",
        ),
        which_students,
    ),
    # ------------------------------------------------------------ content authoring
    Row(
        "CreateConcept",
        lambda w, s: {
            "input": {"name": _fresh("new_"), "displayName": "New", "difficulty": "BEGINNER"}
        },
        AUTHORS,
    ),
    Row("UpdateConcept", lambda w, s: {"id": s.concept, "input": {"description": "x"}}, OWNER),
    Row("DeleteConcept", lambda w, s: {"id": s.concept}, OWNER),
    Row(
        "AddConceptRelation",
        lambda w, s: {
            "input": {"sourceId": s.concept, "targetId": s.second_concept, "kind": "RELATED_TO"}
        },
        OWNER,
    ),
    Row(
        "RemoveConceptRelation",
        lambda w, s: {
            "input": {"sourceId": s.concept, "targetId": s.second_concept, "kind": "PREREQUISITE"}
        },
        OWNER,
    ),
    Row(
        "CreateLearningPath",
        lambda w, s: {
            "input": {
                "title": _fresh("Path "),
                "difficulty": "BEGINNER",
                "items": [{"conceptId": s.concept}],
            }
        },
        AUTHORS,
    ),
    Row(
        "SetLearningPathConcepts",
        lambda w, s: {"id": s.path, "items": [{"conceptId": s.second_concept}]},
        OWNER,
    ),
    Row("DeleteLearningPath", lambda w, s: {"id": s.path}, OWNER),
    Row("CreateQuiz", lambda w, s: {"input": {"conceptId": s.concept, **QUIZ}}, AUTHORS),
    Row("CreateCourse", lambda w, s: {"input": {"title": "New course"}}, AUTHORS),
    Row("UpdateCourse", lambda w, s: {"id": s.course, "input": {"title": "Renamed"}}, OWNER),
    Row("DeleteCourse", lambda w, s: {"id": s.course}, OWNER),
    Row(
        "ImportCourseStructure",
        lambda w, s: {
            "courseId": s.course,
            "chapters": [
                {
                    "name": "Imported",
                    "theories": [
                        {"name": "T", "skills": ["imported"], "conceptNames": [s.concept_name]}
                    ],
                }
            ],
        },
        OWNER,
    ),
    # ------------------------------------------------------------ learning
    Row(
        "EnrollInPath",
        lambda w, s: {"pathId": s.path},
        SELF,
        idempotent_for=frozenset({"student_own"}),  # already on it
    ),
    Row(
        "JoinCourse",
        lambda w, s: {"courseId": s.course},
        STUDENTS,
        idempotent_for=frozenset({"student_own"}),  # already in it
    ),
    Row(
        "LeaveCourse",
        lambda w, s: {"courseId": s.course},
        {**STUDENTS, "student_other": NOT_FOUND},  # not in that course
    ),
    Row(
        "RecordProgress",
        lambda w, s: {
            "input": {"conceptId": s.concept, "status": "IN_PROGRESS", "progressPercent": 60}
        },
        SELF,
    ),
    Row(
        "SubmitQuizAttempt",
        lambda w, s: {
            "quizId": s.quiz,
            "answers": [{"questionId": s.question, "answers": ["yes"]}],
        },
        SELF,
    ),
    Row(
        "RecordSkillMastery",
        lambda w, s: {
            "input": {
                "studentId": s.student_id,
                "skillId": s.skill,
                "mastery": 0.8,
                "confidence": 0.7,
            }
        },
        OWNER,
    ),
    # ------------------------------------------------------------ operations
    Row("SyncStatus", _none, ADMINS, answered),
    Row("SyncEvents", lambda w, s: {"first": 10}, ADMINS, answered),
    Row(
        "RetrySyncEvents",
        _none,
        ADMINS,
        idempotent_for=frozenset({"admin"}),  # no dead event to retry
    ),
    Row("RunReconciliation", lambda w, s: {"entityTypes": ["concept"], "repair": False}, ADMINS),
    Row("ReconciliationRuns", lambda w, s: {"first": 5}, ADMINS, answered),
    Row("SyncConflicts", lambda w, s: {"first": 5}, ADMINS, answered),
    Row(
        "ResolveConflict",
        lambda w, s: {"id": w.conflict, "strategy": "SOURCE_WINS"},
        ADMINS,
    ),
]

# operations-next.graphql. A row for an operation the schema does not offer yet is skipped until
# it does. Tokens (refresh, verification, reset) are the side's student's, which whoever holds
# them may use: their secret is the authorization.
NEXT_ROWS = [
    # ------------------------------------------------------------ accounts and administration
    Row("LoginWithRefresh", lambda w, s: {"username": s.student, "password": PASSWORD}, PUBLIC),
    Row("RefreshToken", lambda w, s: {"refreshToken": s.refresh_token}, PUBLIC),
    Row("Logout", lambda w, s: {"allSessions": False}, SELF),
    Row(
        "ChangePassword",
        lambda w, s: {"currentPassword": PASSWORD, "newPassword": "another-password-1"},
        SELF,
    ),
    Row("RequestEmailVerification", _none, SELF),
    Row("VerifyEmail", lambda w, s: {"token": s.verification_token}, PUBLIC),
    Row("RequestPasswordReset", lambda w, s: {"email": f"{s.student}@example.org"}, PUBLIC),
    Row(
        "ResetPassword",
        lambda w, s: {"token": s.reset_token, "newPassword": "another-password-1"},
        PUBLIC,
    ),
    Row("Users", lambda w, s: {"first": 10}, ADMINS, answered),
    Row("SetUserActive", lambda w, s: {"id": s.student_id, "active": False}, ADMINS),
    Row("SetUserRole", lambda w, s: {"id": s.student_id, "role": "TEACHER"}, ADMINS),
    Row("AuditLog", lambda w, s: {"first": 10}, ADMINS, answered),
    # ------------------------------------------------------------ study sessions and badges
    Row("StartLearningSession", lambda w, s: {"conceptId": s.concept}, SELF),
    Row(
        "EndLearningSession",
        lambda w, s: {"id": s.session},
        {**SELF, "student_other": FORBIDDEN, "teacher_own": FORBIDDEN, "teacher_other": FORBIDDEN},
    ),
    Row("MyLearningSessions", lambda w, s: {"first": 10}, MINE, whose_dashboard),
    Row("Badges", _none, PUBLIC, answered),
    Row("MyBadges", _none, MINE, whose_dashboard),
    # ------------------------------------------------------------ lessons
    Row("ConceptLessons", lambda w, s: {"name": s.concept_name}, PUBLIC, answered),
    Row("CreateLesson", lambda w, s: {"input": {"conceptId": s.concept, "title": "New"}}, OWNER),
    Row("UpdateLesson", lambda w, s: {"id": s.lesson, "input": {"title": "Renamed"}}, OWNER),
    Row("DeleteLesson", lambda w, s: {"id": s.lesson}, OWNER),
    Row("CompleteLesson", lambda w, s: {"id": s.lesson}, SELF),
]

MATRIX = {row.operation: row for row in [*ROWS, *NEXT_ROWS]}
