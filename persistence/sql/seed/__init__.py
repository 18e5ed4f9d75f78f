"""The demo world (concepts, paths, people, a course, quizzes, activity), loaded idempotently."""

from persistence.sql.seed.world import load_demo_world

__all__ = ["load_demo_world"]
