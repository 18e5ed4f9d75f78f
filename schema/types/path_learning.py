"""Learner-facing fields of a LearningPath (the caller's enrollment): added here."""

from __future__ import annotations

__all__ = ["PathLearnerFields"]


class PathLearnerFields:
    """Mixed into the LearningPath type."""
