"""What the audit log gained during one case: every write by a teacher or an admin leaves an
entry named after its mutation, written with the change; a refused write leaves none."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import FieldNode, OperationDefinitionNode, parse
from sqlalchemy import Engine, text

__all__ = ["AUDITED_CALLERS", "AUTHENTICATION", "NAMED_ACTIONS", "AuditMark", "mutation_field"]

AUDITED_CALLERS = ("teacher", "admin")
# Mutations whose entries carry a name of their own rather than the mutation's.
NAMED_ACTIONS = {
    "setUserActive": ("user_activated", "user_deactivated"),
    "setUserRole": ("role_changed",),
}
# Authentication events: logged for whoever they concern, whatever the caller's role, under
# their own names (a sign-in also by the username it was asked for).
AUTHENTICATION = {
    "login": ("login",),
    "register": ("registered",),
    "refreshToken": ("token_refreshed",),
    "logout": ("logout",),
    "changePassword": ("password_changed",),
    "requestEmailVerification": ("email_verification_requested",),
    "verifyEmail": ("email_verified",),
    "requestPasswordReset": ("password_reset_requested",),
    "resetPassword": ("password_reset",),
}


def mutation_field(document: str) -> str | None:
    """The root field a mutation document runs (its audit action), None for a query."""
    (operation,) = parse(document).definitions
    assert isinstance(operation, OperationDefinitionNode)
    if operation.operation.value != "mutation":
        return None
    (field,) = operation.selection_set.selections
    assert isinstance(field, FieldNode)
    return field.name.value


@dataclass(frozen=True)
class AuditMark:
    """The newest audit entry when the case began."""

    engine: Engine
    last_id: int

    @classmethod
    def now(cls, engine: Engine) -> AuditMark:
        with engine.connect() as connection:
            last = connection.execute(text("SELECT coalesce(max(id), 0) FROM audit_log")).scalar()
        return cls(engine, int(last or 0))

    def entries_since(self) -> list[tuple[str, str | None]]:
        """(action, actor's username) of each entry appended since, oldest first."""
        with self.engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT a.action, u.username FROM audit_log a"
                    " LEFT JOIN users u ON u.id = a.actor_id WHERE a.id > :last ORDER BY a.id"
                ),
                {"last": self.last_id},
            )
            return [(row.action, row.username) for row in found]
