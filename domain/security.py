"""Password hashing (argon2) and signed, expiring access tokens (JWT)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["Principal", "decode_token", "hash_password", "issue_token", "verify_password"]

_hasher = PasswordHasher()
ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user id and role a valid token vouches for."""

    user_id: uuid.UUID
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_author(self) -> bool:
        return self.role in ("teacher", "admin")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def issue_token(principal: Principal, *, secret: str, ttl_seconds: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(principal.user_id),
        "role": principal.role,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def token_expiry(token: str, *, secret: str) -> datetime | None:
    """When a valid, unexpired token expires; None for anything else."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None


def decode_token(token: str, *, secret: str) -> Principal | None:
    """The principal of a valid, unexpired token; None for anything else."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
        return Principal(user_id=uuid.UUID(claims["sub"]), role=str(claims["role"]))
    except (jwt.PyJWTError, KeyError, ValueError):
        return None
