"""Demo accounts besides the bootstrap admin: one teacher and two learners."""

from __future__ import annotations

from typing import Any

__all__ = ["PEOPLE"]

PEOPLE: list[dict[str, Any]] = [
    {
        "username": "teacher",
        "password": "teacher-password",
        "role": "teacher",
        "profile": {
            "first_name": "Grace",
            "last_name": "Hopper",
            "bio": "Teaches the foundations of computer science.",
            "timezone": "America/New_York",
        },
        "preferences": {"daily_goal_minutes": 60, "preferred_difficulty": "advanced"},
    },
    {
        "username": "alice",
        "password": "alice-password",
        "role": "student",
        "profile": {
            "first_name": "Alice",
            "last_name": "Martin",
            "bio": "Analyst learning data science in the evenings.",
            "timezone": "UTC",
            "language": "en",
        },
        "preferences": {
            "daily_goal_minutes": 45,
            "preferred_difficulty": "intermediate",
            "content_types": ["video", "reading", "quiz"],
            "dark_mode": True,
        },
    },
    {
        "username": "bob",
        "password": "bob-password",
        "role": "student",
        "profile": {
            "first_name": "Bob",
            "last_name": "Nguyen",
            "bio": "Career changer heading for web development.",
            "timezone": "UTC",
        },
        "preferences": {
            "daily_goal_minutes": 30,
            "preferred_difficulty": "beginner",
            "content_types": ["video"],
            "notifications_enabled": False,
        },
    },
]
