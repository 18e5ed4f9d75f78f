"""Where a reconciliation run (a comparison of PostgreSQL with the graph) stands."""

from __future__ import annotations

import enum

__all__ = ["ReconciliationStatus"]


class ReconciliationStatus(enum.StrEnum):
    """`reconciliation_runs.status`."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
