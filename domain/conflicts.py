"""Conflict strategies: which state wins when the graph was edited outside the sync.

Pure functions over property dicts. `source` is PostgreSQL's state, `target` the graph's, `base`
the content last synced to the graph (None when it is not known). Only the fields the source
mirrors take part: anything else the graph holds is not ours to keep.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

__all__ = [
    "ConflictSides",
    "Decision",
    "Strategy",
    "changed_fields",
    "decide",
    "last_write_wins",
    "merge",
    "source_wins",
    "target_wins",
]

Properties = dict[str, Any]


class Strategy(enum.StrEnum):
    SOURCE_WINS = "source_wins"
    LAST_WRITE_WINS = "last_write_wins"
    TARGET_WINS = "target_wins"
    MANUAL_REVIEW = "manual_review"
    MERGE = "merge"


@dataclass(frozen=True)
class ConflictSides:
    """Both sides of one conflicting entity, with when each last changed (if known)."""

    source: Mapping[str, Any]
    target: Mapping[str, Any]
    base: Mapping[str, Any] | None = None
    source_changed_at: datetime | None = None
    target_changed_at: datetime | None = None


@dataclass(frozen=True)
class Decision:
    """The state to keep, or None when an operator has to decide."""

    winner: Properties | None
    side: str  # "source", "target", "merged" or "none"


def source_wins(sides: ConflictSides) -> Properties:
    return dict(sides.source)


def target_wins(sides: ConflictSides) -> Properties:
    return {name: sides.target.get(name) for name in sides.source}


def _target_is_newer(sides: ConflictSides) -> bool:
    if sides.target_changed_at is None:
        return False
    return sides.source_changed_at is None or sides.target_changed_at > sides.source_changed_at


def last_write_wins(sides: ConflictSides) -> Properties:
    """The side that changed last; a tie or an unknown graph time keeps the source."""
    return target_wins(sides) if _target_is_newer(sides) else source_wins(sides)


def _merged_value(name: str, sides: ConflictSides) -> Any:
    source, target = sides.source.get(name), sides.target.get(name)
    if sides.base is None or source == target:
        return source
    source_changed = source != sides.base.get(name)
    target_changed = target != sides.base.get(name)
    return target if target_changed and not source_changed else source


def merge(sides: ConflictSides) -> Properties:
    """Field by field: a field only one side changed comes from it; both changed -> source.

    Without a base nothing tells which side changed a field, so every difference counts as
    changed on both sides and the source keeps it.
    """
    return {name: _merged_value(name, sides) for name in sides.source}


STRATEGIES: dict[Strategy, tuple[Callable[[ConflictSides], Properties], str]] = {
    Strategy.SOURCE_WINS: (source_wins, "source"),
    Strategy.TARGET_WINS: (target_wins, "target"),
    Strategy.LAST_WRITE_WINS: (last_write_wins, ""),
    Strategy.MERGE: (merge, "merged"),
}


def _side(winner: Properties, sides: ConflictSides, named: str) -> str:
    if named:
        return named
    return "source" if winner == dict(sides.source) else "target"


def decide(strategy: Strategy, sides: ConflictSides) -> Decision:
    """What the strategy keeps; MANUAL_REVIEW keeps nothing (the conflict stays open)."""
    if strategy is Strategy.MANUAL_REVIEW:
        return Decision(winner=None, side="none")
    resolve, named = STRATEGIES[strategy]
    winner = resolve(sides)
    return Decision(winner=winner, side=_side(winner, sides, named))


def changed_fields(current: Mapping[str, Any], winner: Mapping[str, Any]) -> Properties:
    """The fields of winner that differ from current: what the source must be given."""
    return {name: value for name, value in winner.items() if current.get(name) != value}
