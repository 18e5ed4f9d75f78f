"""Sync tokens: what a mutation hands out, and what a request may present back."""

from __future__ import annotations

import pytest

from persistence.sql.unit_of_work import CommittedEvents
from resolvers.sync_tokens import MAX_PARTS, parse_sync_token, seq_ranges, sync_token


def token_of(*seqs: int) -> str | None:
    return sync_token(CommittedEvents(ids=[], seqs=list(seqs)))


def test_a_commit_without_events_has_no_token() -> None:
    assert token_of() is None


def test_a_token_names_single_events_and_runs_of_consecutive_ones() -> None:
    assert token_of(7) == "lg1.7"
    assert token_of(12, 10, 11, 15) == "lg1.10-12.15"


def test_a_token_reads_back_as_the_runs_it_was_made_of() -> None:
    token = token_of(3, 4, 5, 9, 40)
    assert token is not None
    assert parse_sync_token(token) == [(3, 5), (9, 9), (40, 40)]


def test_the_plain_dotted_form_of_every_sequence_number_is_accepted() -> None:
    assert parse_sync_token("lg1.5.6.7.9") == [(5, 7), (9, 9)]


def test_overlapping_runs_are_merged_so_no_event_counts_twice() -> None:
    assert parse_sync_token("lg1.4-8.6-10.2") == [(2, 2), (4, 10)]


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_sync_token("  lg1.42 ") == [(42, 42)]


@pytest.mark.parametrize(
    "token",
    [
        "",
        "lg1.",
        "lg2.5",
        "5",
        "lg1.a",
        "lg1.0",
        "lg1.-3",
        "lg1.9-3",
        "lg1.3..4",
        "lg1.+4",
        "lg1.4 .5",
        "lg1.٣",  # a digit, but not an ASCII one
        "lg1.99999999999999999999",
        "lg1.9223372036854775808",
    ],
)
def test_a_malformed_token_is_refused(token: str) -> None:
    assert parse_sync_token(token) is None


def test_a_token_with_too_many_parts_is_refused() -> None:
    token = "lg1." + ".".join(str(seq) for seq in range(1, 2 * MAX_PARTS + 2, 2))
    assert parse_sync_token(token) is None


def test_a_commit_with_too_many_scattered_events_gets_one_spanning_run_it_can_present() -> None:
    scattered = list(range(1, 2 * MAX_PARTS + 2, 2))
    assert seq_ranges(scattered) == [(1, 2 * MAX_PARTS + 1)]
    token = token_of(*scattered)
    assert token is not None
    assert parse_sync_token(token) == [(1, 2 * MAX_PARTS + 1)]
