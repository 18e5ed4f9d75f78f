"""Tokens verified once: kept claims are trusted again only until the token expires."""

from __future__ import annotations

import uuid

import jwt
import pytest

from domain.roles import Role
from domain.security import Principal, TokenRejectedError, issue_token
from domain.verified_tokens import VerifiedTokens

SECRET = "a-test-secret-of-at-least-32-characters"
ALICE = Principal(uuid.uuid4(), Role.STUDENT)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _real_time_tokens(size: int = 10) -> VerifiedTokens:
    return VerifiedTokens(SECRET, size=size)


def test_a_kept_token_reads_the_same_claims_as_the_first_time() -> None:
    tokens = _real_time_tokens()
    token = issue_token(ALICE, generation=3, secret=SECRET, ttl_seconds=60)
    first = tokens.read(token)
    assert tokens.read(token) == first
    assert (first.principal, first.generation) == (ALICE, 3)


def test_a_kept_token_is_refused_as_expired_once_its_expiry_passes() -> None:
    # given a token checked while valid
    clock = Clock()
    tokens = VerifiedTokens(SECRET, clock=clock)
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=60)
    payload = jwt.decode(token, options={"verify_signature": False})
    clock.now = payload["exp"] - 1
    assert tokens.read(token).principal == ALICE
    # when the clock reaches its expiry, then it is refused as an expired token is
    clock.now = payload["exp"]
    with pytest.raises(TokenRejectedError) as refused:
        tokens.read(token)
    assert refused.value.code == "TOKEN_EXPIRED"


def test_a_forged_token_is_refused_every_time_and_never_kept() -> None:
    tokens = _real_time_tokens(size=1)
    kept = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=60)
    tokens.read(kept)
    forged = issue_token(ALICE, generation=1, secret=SECRET + "-forged", ttl_seconds=60)
    for _ in range(3):
        with pytest.raises(TokenRejectedError) as refused:
            tokens.read(forged)
        assert refused.value.code == "UNAUTHENTICATED"
    assert tokens.read(kept).principal == ALICE


def test_a_token_signed_with_another_secret_than_the_readers_is_refused() -> None:
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=60)
    assert _real_time_tokens().read(token).principal == ALICE
    with pytest.raises(TokenRejectedError):
        VerifiedTokens(SECRET + "-rotated").read(token)


def test_an_expired_token_is_refused_as_expired_without_being_kept() -> None:
    tokens = _real_time_tokens()
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=-1)
    for _ in range(2):
        with pytest.raises(TokenRejectedError) as refused:
            tokens.read(token)
        assert refused.value.code == "TOKEN_EXPIRED"
