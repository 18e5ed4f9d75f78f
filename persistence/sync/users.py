"""Users as actors: id, username and role, labelled :Student / :Teacher / :Admin. No auth data."""

from __future__ import annotations

from domain.events import EntityType
from domain.roles import Role
from persistence.sql.models import User
from persistence.sync.nodes import NodeMirror

__all__ = ["user_mirror"]

# The role label follows the role; the others are removed so a role change moves it.
ROLE_LABELS = (
    "\nREMOVE n:"
    + ":".join(role.label for role in Role)
    + "\n"
    + "".join(
        f"FOREACH (_ IN CASE WHEN row.properties.role = '{role}' THEN [1] ELSE [] END | SET n:{role.label})\n"
        for role in Role
    )
)


def user_mirror() -> NodeMirror:
    return NodeMirror(
        entity_type=EntityType.USER,
        label="User",
        model=User,
        properties=("username", "role", "is_active"),
        order=5,
        extra_cypher=ROLE_LABELS,
    )
