"""The four demo learning paths, their concepts in learning order (15 links in all)."""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["PATHS", "PathItem"]


class PathItem(NamedTuple):
    concept: str
    is_required: bool = True


PATHS: list[dict[str, Any]] = [
    {
        "title": "Programming Essentials",
        "description": "From a first program to the data structures every developer uses.",
        "category": "programming",
        "difficulty": "beginner",
        "estimated_hours": 40.0,
        "target_audience": "Complete beginners",
        "items": [
            PathItem("programming_basics"),
            PathItem("python_programming"),
            PathItem("data_structures"),
        ],
    },
    {
        "title": "Web Development Bootcamp",
        "description": "Build and ship web applications, from HTML to a full stack.",
        "category": "web",
        "difficulty": "intermediate",
        "estimated_hours": 80.0,
        "target_audience": "Aspiring web developers",
        "items": [
            PathItem("html_css"),
            PathItem("javascript"),
            PathItem("data_structures", is_required=False),
            PathItem("web_development"),
        ],
    },
    {
        "title": "Data Science Track",
        "description": "Statistics, linear algebra and machine learning for working with data.",
        "category": "data_science",
        "difficulty": "intermediate",
        "estimated_hours": 90.0,
        "target_audience": "Analysts moving into data science",
        "items": [
            PathItem("statistics"),
            PathItem("linear_algebra"),
            PathItem("data_structures"),
            PathItem("machine_learning"),
        ],
    },
    {
        "title": "Mastering Computer Science",
        "description": "The core of a computer science degree: structures, algorithms, systems, ML.",
        "category": "computer_science",
        "difficulty": "advanced",
        "estimated_hours": 160.0,
        "target_audience": "Self-taught developers filling in the theory",
        "items": [
            PathItem("data_structures"),
            PathItem("algorithms"),
            PathItem("operating_systems"),
            PathItem("machine_learning"),
        ],
    },
]
