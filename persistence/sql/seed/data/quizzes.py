"""Demo quizzes with their questions and correct answers."""

from __future__ import annotations

from typing import Any

__all__ = ["QUIZZES"]


def _question(
    prompt: str, kind: str, correct: list[str], options: list[str] | None = None, points: int = 1
) -> dict[str, Any]:
    return {
        "prompt": prompt,
        "kind": kind,
        "options": options or [],
        "correct_answers": correct,
        "points": points,
    }


QUIZZES: list[dict[str, Any]] = [
    {
        "title": "Programming Basics Check",
        "concept": "programming_basics",
        "passing_score": 70,
        "questions": [
            _question(
                "Which statement repeats a block while a condition holds?",
                "single_choice",
                ["while"],
                ["if", "while", "return", "import"],
            ),
            _question(
                "Which of these are valid ways to control the flow of a program?",
                "multiple_choice",
                ["conditionals", "loops", "function calls"],
                ["conditionals", "loops", "function calls", "comments"],
                points=2,
            ),
            _question("What keyword defines a function in Python?", "short_text", ["def"]),
        ],
    },
    {
        "title": "Data Structures Fundamentals",
        "concept": "data_structures",
        "passing_score": 70,
        "questions": [
            _question(
                "Which structure gives average O(1) lookup by key?",
                "single_choice",
                ["hash table"],
                ["linked list", "hash table", "binary heap", "array sorted by insertion"],
            ),
            _question(
                "Which structures are last-in, first-out or first-in, first-out?",
                "multiple_choice",
                ["stack", "queue"],
                ["stack", "queue", "hash table", "tree"],
                points=2,
            ),
            _question("What is the name of a tree node without children?", "short_text", ["leaf"]),
        ],
    },
    {
        "title": "Data Structures: Trees",
        "concept": "data_structures",
        "passing_score": 60,
        "questions": [
            _question(
                "What is the height of a balanced binary search tree with n nodes?",
                "single_choice",
                ["O(log n)"],
                ["O(1)", "O(log n)", "O(n)", "O(n log n)"],
            ),
            _question(
                "Which traversal visits a BST's keys in sorted order?",
                "short_text",
                ["in-order", "inorder"],
            ),
        ],
    },
]
