"""How hard a concept or path is, and the level a learner prefers, easiest first."""

from __future__ import annotations

import enum

__all__ = ["Difficulty"]


class Difficulty(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"
