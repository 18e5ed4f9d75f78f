"""Who may touch what: the one statement of whose data each id names and who may act on it.

Whose data it is:
- a user's account, profile, preferences, concept progress, path and course enrollments, quiz
  attempts and skill mastery: that user's;
- a course with its chapters, theories, readings and videos: its teacher's;
- a concept with its lessons, a learning path, a quiz: their creator's (nobody's once the creator
  is gone); a link between two concepts: the creators' of both ends;
- a skill is shared by name; it belongs to the courses whose theories teach it.

Who may touch it:
- anyone, signed in or not, reads the catalogue: concepts, links, paths, courses and their
  structure, quizzes without their answers, statistics over enough learners;
- a signed-in user acts on their own data only: the mutations for it take no user id, or the id
  of a row of theirs (a study session);
- teachers and admins author: any of them creates concepts, paths, quizzes and courses, and may
  use any concept in them; a teacher changes or deletes only what they created (a link: when they
  created one of its ends), sees the answers of their own quizzes and the students of their own
  courses, and records skill mastery only for a student enrolled in one of their courses, on a
  skill of that course;
- admins act anywhere.

A refusal is FORBIDDEN and reads the same whether the target is someone else's or does not exist,
so it never tells a caller what exists. Admins, who may see everything, hear NOT_FOUND instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from domain.errors import ErrorCode, UserErrors
from domain.ids import uuid_or_none
from domain.roles import Role
from persistence.sql.ownership import concept_creators, teaches_skill_to, teaches_student

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.security import Principal

__all__ = [
    "admin",
    "assessable",
    "author",
    "linkable",
    "may_change",
    "may_look_up",
    "may_see_answers",
    "may_see_private",
    "may_see_students",
    "mine",
    "owned",
    "owned_id",
    "signed_in",
    "stats_floor",
    "student",
]

T = TypeVar("T")


def signed_in(principal: Principal | None) -> Principal:
    if principal is None:
        raise UserErrors.one(None, "sign in first", ErrorCode.UNAUTHENTICATED)
    return principal


def author(principal: Principal | None) -> Principal:
    """Teachers and admins: they write content."""
    caller = signed_in(principal)
    if not caller.can_author:
        raise UserErrors.one(None, "only teachers and admins edit content", ErrorCode.FORBIDDEN)
    return caller


def admin(principal: Principal | None) -> Principal:
    caller = signed_in(principal)
    if not caller.is_admin:
        raise UserErrors.one(None, "only admins may do this", ErrorCode.FORBIDDEN)
    return caller


def student(principal: Principal | None) -> Principal:
    """Students: they join and leave courses."""
    caller = signed_in(principal)
    if caller.role != Role.STUDENT:
        raise UserErrors.one(None, "only students join or leave courses", ErrorCode.FORBIDDEN)
    return caller


def may_change(principal: Principal, owner_id: uuid.UUID | None) -> bool:
    """Admins change anything; teachers what they own; nobody else anything."""
    if principal.is_admin:
        return True
    return principal.can_author and owner_id is not None and owner_id == principal.user_id


def _refusal(field: str | None, what: str) -> UserErrors:
    return UserErrors.one(field, f"no {what} with this id is yours to change", ErrorCode.FORBIDDEN)


def _missing(field: str | None, what: str) -> UserErrors:
    return UserErrors.one(field, f"no {what} has this id", ErrorCode.NOT_FOUND)


def owned_id(principal: Principal, value: str, *, field: str, what: str) -> uuid.UUID:
    """The id of a target the caller means to change; a malformed one names nothing."""
    found = uuid_or_none(value)
    if found is None:
        raise (_missing if principal.is_admin else _refusal)(field, what)
    return found


def owned(
    principal: Principal, row: T | None, owner_id: uuid.UUID | None, *, field: str, what: str
) -> T:
    """The row when the caller may change it; else the same refusal whether it exists or not."""
    if row is None and principal.is_admin:
        raise _missing(field, what)
    if row is None or not may_change(principal, owner_id):
        raise _refusal(field, what)
    return row


def mine(
    principal: Principal, row: T | None, owner_id: uuid.UUID | None, *, field: str, what: str
) -> T:
    """A row of a learner's own data (a study session) for that learner or an admin; else the
    same refusal whether it exists or not."""
    if row is None and principal.is_admin:
        raise _missing(field, what)
    if row is None or not (principal.is_admin or owner_id == principal.user_id):
        raise _refusal(field, what)
    return row


async def linkable(
    session: AsyncSession, principal: Principal, *, source_id: uuid.UUID, target_id: uuid.UUID
) -> None:
    """A teacher links or unlinks two concepts only when they created one of them."""
    if principal.is_admin:
        return
    creators = await concept_creators(session, concept_ids=[source_id, target_id])
    if not any(may_change(principal, creator) for creator in creators.values()):
        raise UserErrors.one(
            None, "you may link only concepts of which you created one", ErrorCode.FORBIDDEN
        )


async def assessable(
    session: AsyncSession, principal: Principal, student_value: str, skill_value: str
) -> tuple[uuid.UUID, uuid.UUID]:
    """The student and skill ids when the caller may record mastery for them.

    A teacher may for a student enrolled in one of their courses, on a skill of that course;
    whether either id exists stays unsaid.
    """
    student_id, skill_id = uuid_or_none(student_value), uuid_or_none(skill_value)
    if principal.is_admin:
        if student_id is None:
            raise _missing("studentId", "student")
        if skill_id is None:
            raise _missing("skillId", "skill")
        return student_id, skill_id
    if (
        student_id is None
        or skill_id is None
        or not await teaches_skill_to(
            session, teacher_id=principal.user_id, student_id=student_id, skill_id=skill_id
        )
    ):
        raise UserErrors.one(
            None,
            "you record mastery only for a student of your course, on a skill of that course",
            ErrorCode.FORBIDDEN,
        )
    return student_id, skill_id


def may_see_private(principal: Principal | None, user_id: uuid.UUID) -> bool:
    """A user's email, preferences and learning data: themself and admins."""
    return principal is not None and (principal.is_admin or principal.user_id == user_id)


async def may_look_up(
    session: AsyncSession, principal: Principal | None, user_id: uuid.UUID
) -> bool:
    """A user by id: themself, admins, and the teachers of a course they are enrolled in."""
    if principal is None:
        return False
    if may_see_private(principal, user_id):
        return True
    return principal.role == Role.TEACHER and await teaches_student(
        session, teacher_id=principal.user_id, student_id=user_id
    )


def may_see_students(principal: Principal | None, teacher_id: uuid.UUID) -> bool:
    """Every student of a course: its teacher and admins (others see only themselves)."""
    return principal is not None and (principal.is_admin or principal.user_id == teacher_id)


def may_see_answers(principal: Principal | None, creator_id: uuid.UUID | None) -> bool:
    """A quiz's accepted answers: its creator and admins."""
    return principal is not None and may_change(principal, creator_id)


def stats_floor(principal: Principal | None, min_learners: int) -> int:
    """The fewest learners a statistic needs before this caller sees it (teachers see all)."""
    return 1 if principal is not None and principal.can_author else min_learners
