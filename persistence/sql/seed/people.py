"""Demo accounts with profiles and learning preferences, found by username."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from domain.events import EntityType
from domain.security import hash_password
from persistence.sql.models import LearningPreferences, Profile, User
from persistence.sql.seed.data.people import PEOPLE

if TYPE_CHECKING:
    from persistence.sql.seed.seeding import Seeding

__all__ = ["load_people"]


def load_people(seeding: Seeding) -> dict[str, User]:
    """username -> user, for every demo account (created when missing)."""
    return {person["username"]: _person(seeding, person) for person in PEOPLE}


def _person(seeding: Seeding, person: dict[str, Any]) -> User:
    username: str = person["username"]
    found = seeding.session.scalar(
        select(User).where(func.lower(User.username) == username.lower())
    )
    if found is not None:
        return found
    user = User(
        username=username,
        email=f"{username}@learngraph.local",
        password_hash=hash_password(person["password"]),
        role=person["role"],
        version=1,
    )
    seeding.session.add(user)
    seeding.session.flush()
    seeding.session.add(Profile(user_id=user.id, **person["profile"]))
    seeding.session.add(LearningPreferences(user_id=user.id, **person["preferences"]))
    seeding.node_created(EntityType.USER, user.id)
    return user
