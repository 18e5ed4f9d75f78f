"""Conflict strategies decide which state wins, field by field where asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.conflicts import (
    ConflictSides,
    Strategy,
    changed_fields,
    decide,
    last_write_wins,
    merge,
    source_wins,
    target_wins,
)

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)
BASE = {"name": "graphs", "level": "beginner", "score": 3}


def sides(**changes: object) -> ConflictSides:
    defaults: dict[str, object] = {
        "source": {**BASE, "level": "advanced"},
        "target": {**BASE, "name": "Graphs!", "extra": "ignored"},
        "base": BASE,
    }
    return ConflictSides(**{**defaults, **changes})  # type: ignore[arg-type]


def test_source_wins_keeps_postgresql_state() -> None:
    assert source_wins(sides()) == {**BASE, "level": "advanced"}


def test_target_wins_keeps_the_graphs_values_of_the_mirrored_fields_only() -> None:
    # then the field the graph added outside the sync is not taken
    assert target_wins(sides()) == {**BASE, "name": "Graphs!"}


def test_a_field_missing_in_the_graph_counts_as_null_when_the_target_wins() -> None:
    assert target_wins(sides(target={"name": "x"}))["level"] is None


def test_last_write_wins_takes_the_graph_when_it_changed_later() -> None:
    given = sides(source_changed_at=NOW, target_changed_at=NOW + timedelta(seconds=1))
    assert last_write_wins(given) == target_wins(given)


def test_last_write_wins_takes_the_source_when_it_changed_later_or_at_the_same_time() -> None:
    later = sides(source_changed_at=NOW + timedelta(seconds=1), target_changed_at=NOW)
    tie = sides(source_changed_at=NOW, target_changed_at=NOW)
    assert last_write_wins(later) == source_wins(later)
    assert last_write_wins(tie) == source_wins(tie)


def test_last_write_wins_keeps_the_source_when_the_graphs_time_is_unknown() -> None:
    given = sides(source_changed_at=NOW, target_changed_at=None)
    assert last_write_wins(given) == source_wins(given)


def test_last_write_wins_takes_the_graph_when_only_its_time_is_known() -> None:
    given = sides(source_changed_at=None, target_changed_at=NOW)
    assert last_write_wins(given) == target_wins(given)


def test_merge_takes_each_field_from_the_side_that_changed_it() -> None:
    # given the source changed level and the graph changed name
    # then the merge has both changes
    assert merge(sides()) == {"name": "Graphs!", "level": "advanced", "score": 3}


def test_merge_gives_a_field_changed_on_both_sides_to_the_source() -> None:
    given = sides(
        source={**BASE, "score": 5},
        target={**BASE, "score": 7},
    )
    assert merge(given)["score"] == 5


def test_merge_without_a_base_keeps_every_difference_from_the_source() -> None:
    given = sides(base=None)
    assert merge(given) == source_wins(given)


def test_merge_where_both_sides_agree_keeps_that_value() -> None:
    given = sides(source={**BASE, "name": "same"}, target={**BASE, "name": "same"})
    assert merge(given)["name"] == "same"


@pytest.mark.parametrize(
    ("strategy", "side"),
    [
        (Strategy.SOURCE_WINS, "source"),
        (Strategy.TARGET_WINS, "target"),
        (Strategy.MERGE, "merged"),
    ],
)
def test_decide_names_the_side_that_won(strategy: Strategy, side: str) -> None:
    decision = decide(strategy, sides())
    assert decision.side == side
    assert decision.winner is not None


def test_decide_for_last_write_wins_names_the_newer_side() -> None:
    given = sides(source_changed_at=NOW, target_changed_at=NOW + timedelta(hours=1))
    assert decide(Strategy.LAST_WRITE_WINS, given).side == "target"


def test_manual_review_decides_nothing() -> None:
    decision = decide(Strategy.MANUAL_REVIEW, sides())
    assert decision.winner is None
    assert decision.side == "none"


def test_changed_fields_are_what_the_source_must_be_given() -> None:
    current = {**BASE, "level": "advanced"}
    winner = {**BASE, "name": "Graphs!", "level": "advanced"}
    assert changed_fields(current, winner) == {"name": "Graphs!"}
    assert changed_fields(current, current) == {}
