"""What the JSON reads ask PostgreSQL for: only the picked attributes, relations nested."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from persistence.sql.reads.entities import CONCEPT, PROGRESS
from persistence.sql.reads.shapes import Pick, decoded, json_object, merged


def test_an_object_holds_the_picked_attributes_and_its_relations_as_subqueries() -> None:
    pick = Pick(frozenset({"status"}), (("concept", Pick(frozenset({"name"}))),))
    written = json_object(PROGRESS, pick, "t0")
    assert written == (
        "json_build_object('status', t0.\"status\", 'concept', (SELECT json_build_object("
        "'name', r1.\"name\") FROM concepts r1 WHERE r1.id = t0.concept_id))"
    )


def test_the_callers_own_row_is_matched_by_the_viewer_parameter() -> None:
    pick = Pick(frozenset({"id"}), (("my_progress", Pick(frozenset({"status"}))),))
    assert "r1.user_id = CAST(:viewer AS uuid)" in json_object(CONCEPT, pick, "t0")


def test_an_attribute_the_entity_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="concepts has no attribute password_hash"):
        json_object(CONCEPT, Pick(frozenset({"name", "password_hash"})), "t0")


def test_two_picks_of_one_field_read_everything_either_asks_for() -> None:
    one = Pick(frozenset({"status"}), (("concept", Pick(frozenset({"name"}))),))
    other = Pick(frozenset({"updated_at"}), (("concept", Pick(frozenset({"id"}))),))
    assert merged(one, other) == Pick(
        frozenset({"status", "updated_at"}), (("concept", Pick(frozenset({"id", "name"}))),)
    )


def test_timestamps_read_as_json_become_datetimes_again_nested_ones_too() -> None:
    inner = Pick(frozenset({"updated_at"}))
    pick = Pick(frozenset({"id"}), (("my_progress", inner),))
    value = {"id": "x", "my_progress": {"updated_at": "2026-01-31T09:30:00.25+00:00"}}
    assert decoded(CONCEPT, pick, value)["my_progress"]["updated_at"] == datetime(
        2026, 1, 31, 9, 30, 0, 250000, tzinfo=UTC
    )
