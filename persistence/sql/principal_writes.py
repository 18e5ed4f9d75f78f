"""What this process commits to the rows a token check reads (users, auth_tokens), forgotten by
its own token caches at once.

The triggers on `users` and `auth_tokens` tell every API process through its listening
connection (persistence/sql/principals.py), this one included; but that notification arrives a
moment after the commit, so on a busy machine the next request of the process that signed a
user out (or changed their password, role or activation) could still find the old answer
cached. A unit of work therefore notes the users whose rows its flushes wrote, and that anyone
may have changed when a statement updated or deleted those tables (revocations by user or by
sign-in), and tells this process's caches right after its commit. Other processes still learn
it from the notification.
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

from persistence.sql.models import AuthToken, User
from persistence.sql.principals import forget_in_this_process

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import ORMExecuteState, Session

__all__ = ["PrincipalWrites"]

PRINCIPAL_TABLES = frozenset({User.__tablename__, AuthToken.__tablename__})


class PrincipalWrites:
    """The users a unit of work changed for the token check, until it commits."""

    def __init__(self) -> None:
        self._users: set[uuid.UUID] = set()
        self._anyone = False

    def flushed(self, session: Session) -> None:
        for row in chain(session.new, session.dirty, session.deleted):
            if isinstance(row, User):
                self._users.add(row.id)
            elif isinstance(row, AuthToken):
                self._users.add(row.user_id)

    def statement(self, state: ORMExecuteState) -> None:
        if state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            self._anyone |= getattr(table, "name", None) in PRINCIPAL_TABLES

    def committed(self) -> None:
        """The changes are committed: this process's caches forget them now."""
        if self._anyone or self._users:
            forget_in_this_process(None if self._anyone else self._users)
        self.forget()

    def forget(self) -> None:
        """Nothing was committed (a rollback)."""
        self._users = set()
        self._anyone = False
