"""Where a learner stands on a concept or a path, in the order a learner moves through them."""

from __future__ import annotations

import enum

__all__ = ["DONE", "LessonStatus", "ProgressStatus"]


class ProgressStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    MASTERED = "mastered"

    @property
    def rank(self) -> int:
        """Its place in the order above: a status never moves back to a lower rank by itself."""
        return list(ProgressStatus).index(self)


# The statuses that count as finished (mastered counts as completed).
DONE = (ProgressStatus.COMPLETED, ProgressStatus.MASTERED)


class LessonStatus(enum.StrEnum):
    """Where a learner stands on a lesson: a lesson is begun or finished, nothing more."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
