"""Password hashing (argon2) and signed, expiring, revocable access tokens (JWT)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.roles import AUTHORS, Role

__all__ = [
    "AccessToken",
    "Principal",
    "TokenRejectedError",
    "decode_token",
    "expired_token",
    "hash_password",
    "issue_token",
    "new_secret",
    "read_token",
    "read_token_expiring",
    "secret_digest",
    "token_expiry",
    "verify_password",
]

_hasher = PasswordHasher()
ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user id and role a valid token vouches for."""

    user_id: uuid.UUID
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_author(self) -> bool:
        return self.role in AUTHORS


@dataclass(frozen=True)
class AccessToken:
    """What a well-signed, unexpired token says; its generation must still be the user's."""

    principal: Principal
    generation: int
    session_id: uuid.UUID | None = None  # the sign-in (refresh-token family) it belongs to


class TokenRejectedError(Exception):
    """A token that must not be trusted; `code` is TOKEN_EXPIRED or UNAUTHENTICATED."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def expired_token() -> TokenRejectedError:
    return TokenRejectedError("TOKEN_EXPIRED", "the token has expired: sign in again")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    """A random, URL-safe secret of 256 bits (refresh, verification and reset tokens)."""
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256 (256 random bits need no slow hash)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(
    principal: Principal,
    *,
    generation: int,
    secret: str,
    ttl_seconds: int,
    session_id: uuid.UUID | None = None,
) -> str:
    """A signed access token; with `session_id` it lives only as long as that sign-in."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": str(principal.user_id),
        "role": principal.role,
        "gen": generation,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
    }
    if session_id is not None:
        claims["sid"] = str(session_id)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def token_expiry(token: str, *, secret: str) -> datetime | None:
    """When a valid, unexpired token expires; None for anything else."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None


def read_token(token: str, *, secret: str) -> AccessToken:
    """The claims of a well-signed, unexpired token; TokenRejectedError for anything else."""
    return read_token_expiring(token, secret=secret)[0]


def read_token_expiring(token: str, *, secret: str) -> tuple[AccessToken, float]:
    """read_token's claims and the time (seconds since the epoch) the token expires at."""
    required = ["exp", "sub", "role", "gen"]
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": required})
        expires = float(claims["exp"])
        principal = Principal(user_id=uuid.UUID(str(claims["sub"])), role=Role(str(claims["role"])))
        generation = claims["gen"]
        session = claims.get("sid")
        session_id = None if session is None else uuid.UUID(str(session))
    except jwt.ExpiredSignatureError:
        raise expired_token() from None
    except (jwt.PyJWTError, ValueError, TypeError):
        raise TokenRejectedError("UNAUTHENTICATED", "the token is not valid") from None
    if not isinstance(generation, int) or isinstance(generation, bool):
        raise TokenRejectedError("UNAUTHENTICATED", "the token is not valid")
    return AccessToken(principal, generation, session_id), expires


def decode_token(token: str, *, secret: str) -> Principal | None:
    """The principal of a valid, unexpired token; None for anything else."""
    try:
        return read_token(token, secret=secret).principal
    except TokenRejectedError:
        return None
