"""The learner's own views on a User (dashboard, progress, attempts...): fields added here."""

from __future__ import annotations

__all__ = ["LearnerViews"]


class LearnerViews:
    """Mixed into UserType; its fields answer only for the signed-in user themself."""
