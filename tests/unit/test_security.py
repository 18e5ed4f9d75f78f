"""Password hashing and access tokens, without any store."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from domain.roles import Role
from domain.security import (
    Principal,
    TokenRejectedError,
    decode_token,
    hash_password,
    issue_token,
    new_secret,
    read_token,
    secret_digest,
    token_expiry,
    verify_password,
)

SECRET = "unit-test-secret-0123456789abcdef-0123"
ALICE = Principal(user_id=uuid.uuid4(), role=Role.TEACHER)


def test_a_password_verifies_against_its_argon2_hash_and_nothing_else() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2")
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "correct horse ")
    assert not verify_password("not-a-hash", "correct horse")


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("correct horse") != hash_password("correct horse")


def test_a_fresh_token_decodes_to_its_principal() -> None:
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=60)
    assert decode_token(token, secret=SECRET) == ALICE


def test_an_expired_token_decodes_to_none() -> None:
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=-1)
    assert decode_token(token, secret=SECRET) is None


def test_a_tampered_token_decodes_to_none() -> None:
    header, claims, signature = issue_token(
        ALICE, generation=1, secret=SECRET, ttl_seconds=60
    ).split(".")
    forged_claims = jwt.encode(
        {"sub": str(ALICE.user_id), "role": "admin"}, SECRET + "-other"
    ).split(".")[1]
    assert decode_token(f"{header}.{forged_claims}.{signature}", secret=SECRET) is None
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    assert decode_token(f"{header}.{claims}.{flipped}", secret=SECRET) is None


def test_a_token_signed_with_another_secret_decodes_to_none() -> None:
    token = issue_token(
        ALICE, generation=1, secret="another-secret-0123456789abcdef-0123", ttl_seconds=60
    )
    assert decode_token(token, secret=SECRET) is None


def test_a_token_without_expiry_or_subject_decodes_to_none() -> None:
    no_expiry = jwt.encode({"sub": str(ALICE.user_id), "role": "student"}, SECRET)
    later = datetime.now(UTC) + timedelta(minutes=5)
    no_subject = jwt.encode({"role": "student", "exp": later}, SECRET)
    bad_subject = jwt.encode({"sub": "not-a-uuid", "role": "student", "exp": later}, SECRET)
    assert decode_token(no_expiry, secret=SECRET) is None
    assert decode_token(no_subject, secret=SECRET) is None
    assert decode_token(bad_subject, secret=SECRET) is None


def test_garbage_decodes_to_none() -> None:
    assert decode_token("not.a.token", secret=SECRET) is None
    assert decode_token("", secret=SECRET) is None


def test_a_valid_token_tells_when_it_expires_and_a_bad_one_tells_nothing() -> None:
    # given a token issued for a minute
    before = datetime.now(UTC).replace(microsecond=0)
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=60)
    # then its expiry is a minute away, and neither an expired nor a foreign token has one
    expiry = token_expiry(token, secret=SECRET)
    assert expiry is not None
    assert before + timedelta(seconds=60) <= expiry <= datetime.now(UTC) + timedelta(seconds=60)
    assert (
        token_expiry(issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=-1), secret=SECRET)
        is None
    )
    assert token_expiry(token, secret=SECRET + "-other") is None


def test_a_token_carries_the_generation_it_was_issued_with() -> None:
    token = issue_token(ALICE, generation=7, secret=SECRET, ttl_seconds=60)
    assert read_token(token, secret=SECRET).generation == 7


def test_an_expired_token_is_refused_as_expired() -> None:
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=-1)
    with pytest.raises(TokenRejectedError) as refused:
        read_token(token, secret=SECRET)
    assert refused.value.code == "TOKEN_EXPIRED"


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": str(ALICE.user_id), "role": "admin"},  # no expiry, no generation
        {"sub": str(ALICE.user_id), "role": "admin", "exp": 4102444800},  # no generation
        {"sub": str(ALICE.user_id), "role": "admin", "exp": 4102444800, "gen": "1"},
        {"sub": str(ALICE.user_id), "role": "admin", "exp": 4102444800, "gen": True},
    ],
)
def test_a_token_without_every_claim_is_refused_as_unauthenticated(
    claims: dict[str, object],
) -> None:
    with pytest.raises(TokenRejectedError) as refused:
        read_token(jwt.encode(claims, SECRET), secret=SECRET)
    assert refused.value.code == "UNAUTHENTICATED"


def test_an_unsigned_token_is_refused() -> None:
    claims = {"sub": str(ALICE.user_id), "role": "admin", "exp": 4102444800, "gen": 1}
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    with pytest.raises(TokenRejectedError) as refused:
        read_token(unsigned, secret=SECRET)
    assert refused.value.code == "UNAUTHENTICATED"


def test_a_token_names_its_sign_in_when_given_one() -> None:
    sign_in = uuid.uuid4()
    token = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=60, session_id=sign_in)
    assert read_token(token, secret=SECRET).session_id == sign_in
    plain = issue_token(ALICE, generation=1, secret=SECRET, ttl_seconds=60)
    assert read_token(plain, secret=SECRET).session_id is None


def test_a_token_with_a_malformed_sign_in_is_refused() -> None:
    claims = {"sub": str(ALICE.user_id), "role": "student", "gen": 1, "sid": "not-a-uuid"}
    token = jwt.encode({**claims, "exp": 4_000_000_000}, SECRET, algorithm="HS256")
    with pytest.raises(TokenRejectedError):
        read_token(token, secret=SECRET)


def test_secrets_are_random_and_stored_as_their_sha256() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert len(first) >= 43
    assert secret_digest(first) == hashlib.sha256(first.encode()).hexdigest()
