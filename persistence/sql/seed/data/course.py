"""The demo course: chapters, theories, and each theory's skills, concepts, readings and videos."""

from __future__ import annotations

from typing import Any

__all__ = ["COURSE", "SKILLS"]

SKILLS: dict[str, str] = {
    "Writing conditionals and loops": "Express decisions and repetition in code.",
    "Decomposing problems into functions": "Split a task into small, testable functions.",
    "Choosing a data structure": "Match a structure to the operations a program needs.",
    "Hashing": "Use hash tables for constant-time lookup.",
    "Analysing complexity": "Estimate running time and memory with big-O notation.",
}


def _link(title: str, url: str, *concepts: str) -> dict[str, Any]:
    return {"title": title, "url": url, "concepts": list(concepts)}


COURSE: dict[str, Any] = {
    "title": "Foundations of Computer Science",
    "description": "A first course in computer science: programming, data structures and algorithms.",
    "teacher": "teacher",
    "students": ["alice", "bob"],
    "chapters": [
        {
            "name": "Thinking in Code",
            "theories": [
                {
                    "name": "Variables and Control Flow",
                    "summary": "Storing values and choosing what runs next.",
                    "concepts": ["programming_basics"],
                    "skills": ["Writing conditionals and loops"],
                    "readings": [
                        _link(
                            "Think Python, chapters 1-5",
                            "https://greenteapress.com/thinkpython2/html/index.html",
                            "programming_basics",
                            "python_programming",
                        ),
                    ],
                    "videos": [
                        _link(
                            "Control flow in 10 minutes",
                            "https://videos.learngraph.example/control-flow",
                            "programming_basics",
                        ),
                    ],
                },
                {
                    "name": "Functions and Decomposition",
                    "summary": "Naming a computation and reusing it.",
                    "concepts": ["programming_basics", "python_programming"],
                    "skills": ["Decomposing problems into functions"],
                    "readings": [
                        _link(
                            "Defining functions (Python tutorial)",
                            "https://docs.python.org/3/tutorial/controlflow.html#defining-functions",
                            "python_programming",
                        ),
                    ],
                    "videos": [],
                },
            ],
        },
        {
            "name": "Organizing Data",
            "theories": [
                {
                    "name": "Arrays, Lists and Stacks",
                    "summary": "Sequential structures and what their operations cost.",
                    "concepts": ["data_structures"],
                    "skills": ["Choosing a data structure"],
                    "readings": [
                        _link(
                            "Open Data Structures: array-based lists",
                            "https://opendatastructures.org/ods-python/2_Array_Based_Lists.html",
                            "data_structures",
                        ),
                    ],
                    "videos": [
                        _link(
                            "Stacks and queues explained",
                            "https://videos.learngraph.example/stacks-and-queues",
                            "data_structures",
                        ),
                    ],
                },
                {
                    "name": "Trees and Hash Tables",
                    "summary": "Structures for fast lookup.",
                    "concepts": ["data_structures"],
                    "skills": ["Choosing a data structure", "Hashing"],
                    "readings": [
                        _link(
                            "Open Data Structures: hash tables",
                            "https://opendatastructures.org/ods-python/5_Hash_Tables.html",
                            "data_structures",
                        ),
                    ],
                    "videos": [
                        _link(
                            "Binary search trees visualized",
                            "https://videos.learngraph.example/binary-search-trees",
                            "data_structures",
                            "algorithms",
                        ),
                    ],
                },
            ],
        },
        {
            "name": "Reasoning about Algorithms",
            "theories": [
                {
                    "name": "Sorting and Searching",
                    "summary": "Classic algorithms and their complexity.",
                    "concepts": ["algorithms", "data_structures"],
                    "skills": ["Analysing complexity"],
                    "readings": [
                        _link(
                            "Sorting algorithms compared",
                            "https://en.wikipedia.org/wiki/Sorting_algorithm",
                            "algorithms",
                        ),
                    ],
                    "videos": [
                        _link(
                            "Big-O notation in practice",
                            "https://videos.learngraph.example/big-o",
                            "algorithms",
                        ),
                    ],
                },
            ],
        },
    ],
}
