"""What a user may be: the roles, stated once for SQL, GraphQL, policy and the graph."""

from __future__ import annotations

import enum

__all__ = ["AUTHORS", "SELF_ASSIGNABLE", "Role"]


class Role(enum.StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The graph's label of a user in this role (:Student, :Teacher, :Admin)."""
        return self.value.capitalize()


# Roles that may write content (concepts, paths, lessons, courses).
AUTHORS = frozenset({Role.TEACHER, Role.ADMIN})
# Roles a person may give themselves when registering.
SELF_ASSIGNABLE = (Role.STUDENT, Role.TEACHER)
