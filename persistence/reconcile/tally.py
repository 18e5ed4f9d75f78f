"""What a reconciliation run has found so far, in total and per entity type."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from persistence.reconcile.items import Finding

if TYPE_CHECKING:
    import uuid

    from domain.reconciliation import ReconciliationStatus

__all__ = ["MAX_ERRORS", "RunSummary", "Tally", "TypeCounts"]

MAX_ERRORS = 50  # a run that fails everywhere keeps the first messages, not thousands


@dataclass
class TypeCounts:
    checked: int = 0
    missing: int = 0
    orphaned: int = 0
    stale: int = 0
    conflicts: int = 0
    repaired: int = 0


FIELDS = {
    Finding.MISSING: "missing",
    Finding.ORPHANED: "orphaned",
    Finding.STALE: "stale",
    Finding.CONFLICT: "conflicts",
}


@dataclass
class Tally:
    by_type: dict[str, TypeCounts] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def counts(self, entity_type: str) -> TypeCounts:
        return self.by_type.setdefault(entity_type, TypeCounts())

    def found(self, entity_type: str, finding: Finding) -> None:
        counts = self.counts(entity_type)
        counts.checked += 1
        if finding in FIELDS:
            name = FIELDS[finding]
            setattr(counts, name, getattr(counts, name) + 1)

    def repaired(self, entity_type: str, how_many: int) -> None:
        self.counts(entity_type).repaired += how_many

    def error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message[:500])

    def total(self) -> TypeCounts:
        summed: Counter[str] = Counter()
        for counts in self.by_type.values():
            summed.update(vars(counts))
        return TypeCounts(**summed)


@dataclass(frozen=True)
class RunSummary:
    """The outcome of one run: its record's id and status, totals and per-type counts."""

    run_id: uuid.UUID
    status: ReconciliationStatus
    totals: TypeCounts
    by_type: dict[str, TypeCounts]
    errors: list[str]
    seconds: float
