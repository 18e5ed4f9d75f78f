"""The wait for a store at start-up: retried until it answers, or one line naming the store."""

from __future__ import annotations

import pytest

from persistence.sql.database import StoreUnavailableError, retry_until


def test_a_store_that_answers_on_the_third_try_is_waited_for() -> None:
    tries: list[int] = []

    def probe() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise ConnectionRefusedError("connection refused")
        return "up"

    assert retry_until(probe, store="Redis", seconds=10, errors=(OSError,)) == "up"
    assert len(tries) == 3


def test_a_store_that_never_answers_is_named_in_one_line() -> None:
    def probe() -> None:
        raise ConnectionRefusedError("connection refused\nsecond line")

    with pytest.raises(StoreUnavailableError) as refused:
        retry_until(probe, store="PostgreSQL", seconds=0.6, errors=(OSError,))
    assert str(refused.value) == "PostgreSQL is not reachable after 1s: connection refused"


def test_an_error_that_is_not_a_store_being_away_is_raised_at_once() -> None:
    tries: list[int] = []

    def probe() -> None:
        tries.append(1)
        raise PermissionError("password authentication failed")

    with pytest.raises(PermissionError):
        retry_until(probe, store="PostgreSQL", seconds=10, errors=(ConnectionError,))
    assert tries == [1]
