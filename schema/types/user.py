"""The User type: an account as others may see it."""

from __future__ import annotations

import strawberry

from persistence.sql.models import User
from schema.types.enums import Role
from schema.types.learner import LearnerViews

__all__ = ["UserType"]


@strawberry.type(name="User")
class UserType(LearnerViews):
    id: strawberry.ID
    username: str
    role: Role

    @classmethod
    def from_row(cls, row: User) -> UserType:
        return cls(id=strawberry.ID(str(row.id)), username=row.username, role=Role(row.role))
