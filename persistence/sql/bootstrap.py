"""The bootstrap admin account named by LG_ADMIN_USERNAME / LG_ADMIN_PASSWORD."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from domain.events import ChangeEvent, EntityType, EventType
from domain.roles import Role
from domain.security import hash_password, verify_password
from persistence.sql.models import LearningPreferences, Profile, User
from persistence.sql.outbox import add_events

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["ensure_admin"]


def ensure_admin(session: Session, *, username: str, password: str) -> User:
    """Create the admin, or reset its role and password to the settings; idempotent."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        user = User(
            username=username,
            email=f"{username}@learngraph.local",
            password_hash=hash_password(password),
            role=Role.ADMIN,
            version=1,
        )
        session.add(user)
        session.flush()
        session.add_all([Profile(user_id=user.id), LearningPreferences(user_id=user.id)])
        add_events(session, [ChangeEvent(EventType.USER_CREATED, EntityType.USER, str(user.id), 1)])
        return user
    if user.role != Role.ADMIN or not verify_password(user.password_hash, password):
        user.role = Role.ADMIN
        user.password_hash = hash_password(password)
        user.version += 1
        add_events(
            session,
            [ChangeEvent(EventType.USER_UPDATED, EntityType.USER, str(user.id), user.version)],
        )
    return user
