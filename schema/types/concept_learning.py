"""Learner-facing fields of a Concept (its quizzes, the caller's progress): added here."""

from __future__ import annotations

__all__ = ["ConceptLearnerFields"]


class ConceptLearnerFields:
    """Mixed into ConceptType."""
