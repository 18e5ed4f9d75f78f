"""Users, their profiles and preferences, and auth artefacts (which never leave SQL)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    DateTime,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.difficulty import Difficulty
from domain.roles import Role
from persistence.sql.models.base import (
    UNVERSIONED,
    Base,
    Versioned,
    new_id,
    one_of,
    utcnow_column,
)

__all__ = ["AuthToken", "LearningPreferences", "Profile", "User"]


class User(Versioned, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", Role), name="role"),
        Index("uq_users_username_lower", text("lower(username)"), unique=True),
        Index("uq_users_email_lower", text("lower(email)"), unique=True),
    )
    # read back what the trigger wrote (RETURNING), so a token issued after a change is current
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012  # SQLAlchemy's declarative form

    username: Mapped[str] = mapped_column(String(50), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    password_hash: Mapped[str] = mapped_column(Text, nullable=False, info=UNVERSIONED)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Carried by every access token; a database trigger moves it on when the role, the
    # activation or the password changes, and revoke_tokens() does on request.
    token_generation: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
        default=1,
        server_default=text("1"),
        server_onupdate=FetchedValue(),
        info=UNVERSIONED,
    )
    email_verified_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info=UNVERSIONED
    )
    last_login_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info=UNVERSIONED
    )

    profile: Mapped[Profile | None] = relationship(back_populates="user", uselist=False)
    preferences: Mapped[LearningPreferences | None] = relationship(uselist=False)


class Profile(Base):
    __tablename__ = "profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    bio: Mapped[str | None] = mapped_column(Text)
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    language: Mapped[str] = mapped_column(String(16), nullable=False, default="en")
    updated_at: Mapped[datetime] = utcnow_column()

    user: Mapped[User] = relationship(back_populates="profile")


class LearningPreferences(Base):
    __tablename__ = "learning_preferences"
    __table_args__ = (
        CheckConstraint("daily_goal_minutes BETWEEN 1 AND 1440", name="daily_goal"),
        CheckConstraint(one_of("preferred_difficulty", Difficulty), name="difficulty"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    daily_goal_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=30)
    preferred_difficulty: Mapped[str] = mapped_column(
        String(16), nullable=False, default=Difficulty.BEGINNER
    )
    content_types: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, default=list)
    notifications_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    dark_mode: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime] = utcnow_column()


class AuthToken(Base):
    """Refresh, email-verification and password-reset tokens, stored only as hashes.

    Refresh tokens of one sign-in share a family: each refresh uses one and issues the next.
    """

    __tablename__ = "auth_tokens"
    __table_args__ = (
        CheckConstraint("kind IN ('refresh', 'email_verification', 'password_reset')", name="kind"),
        Index(
            "ix_auth_tokens_open_by_user",
            "user_id",
            "kind",
            postgresql_where=text("revoked_at IS NULL AND used_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(128), nullable=False, unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    family_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = utcnow_column()
