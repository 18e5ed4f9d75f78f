"""Users as actors: id, username and role, labelled :Student / :Teacher / :Admin. No auth data."""

from __future__ import annotations

from domain.events import EntityType
from persistence.sql.models import User
from persistence.sync.nodes import NodeMirror

__all__ = ["user_mirror"]

# The role label follows the role; the others are removed so a role change moves it.
ROLE_LABELS = """
REMOVE n:Student:Teacher:Admin
FOREACH (_ IN CASE WHEN row.properties.role = 'student' THEN [1] ELSE [] END | SET n:Student)
FOREACH (_ IN CASE WHEN row.properties.role = 'teacher' THEN [1] ELSE [] END | SET n:Teacher)
FOREACH (_ IN CASE WHEN row.properties.role = 'admin' THEN [1] ELSE [] END | SET n:Admin)
"""


def user_mirror() -> NodeMirror:
    return NodeMirror(
        entity_type=EntityType.USER,
        label="User",
        model=User,
        properties=("username", "role", "is_active"),
        order=5,
        extra_cypher=ROLE_LABELS,
    )
