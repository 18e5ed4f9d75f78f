"""The demo concepts' lessons, in order, and the lessons the demo learners completed.

A learner's completed lessons agree with their concept progress: every lesson of a completed
or mastered concept, and for one in progress a share no higher than its percent (alice's
python_programming: 2 of 4 lessons against 65 percent; bob's html_css: 2 of 5, his 40).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["LESSONS", "LESSONS_DONE", "LessonSeed", "LessonsDone"]


class LessonSeed(NamedTuple):
    title: str
    content_type: str
    minutes: int
    summary: str


class LessonsDone(NamedTuple):
    """The first `lessons` lessons of the concept, completed `days_ago` days before the seed."""

    user: str
    concept: str
    lessons: int
    days_ago: int


def _of_type(content_type: str) -> Callable[[str, int, str], LessonSeed]:
    """Makes lessons of one content type from a title, minutes and a summary."""
    return lambda title, minutes, summary: LessonSeed(title, content_type, minutes, summary)


_text, _video, _exercise, _interactive = map(_of_type, ("text", "video", "exercise", "interactive"))


LESSONS: dict[str, list[LessonSeed]] = {
    "programming_basics": [
        _video("Your first program", 10, "Write, run and change a program that prints a line."),
        _text("Variables and values", 15, "Naming values, assigning them and reading them back."),
        _interactive("Choosing with conditionals", 20, "if, elif and else on real decisions."),
        _exercise("Loops and functions", 30, "Repeat work with loops; package it in functions."),
    ],
    "python_programming": [
        _text("Python's built-in types", 15, "Numbers, strings, lists, tuples, dicts and sets."),
        _interactive("Comprehensions", 20, "Build lists and dicts from other collections."),
        _text("Modules and packages", 15, "Split code into files and import what you need."),
        _exercise("Errors and exceptions", 25, "Raise, catch and report failures cleanly."),
    ],
    "object_oriented_programming": [
        _text("Classes and objects", 15, "Data and the behaviour that owns it, together."),
        _video("Encapsulation", 12, "Keep an object's state behind its methods."),
        _exercise("Composition over inheritance", 30, "Build behaviour from small parts."),
    ],
    "data_structures": [
        _video("Arrays and linked lists", 15, "Contiguous and linked storage, and their costs."),
        _text("Stacks and queues", 15, "Last in first out, first in first out."),
        _interactive("Hash tables", 20, "Average constant-time lookup by key."),
        _exercise("Trees", 30, "Binary search trees and their traversals."),
    ],
    "algorithms": [
        _text("Measuring algorithms", 15, "Big-O notation and what it leaves out."),
        _interactive("Sorting", 25, "Insertion sort, merge sort and quicksort side by side."),
        _exercise("Searching graphs", 30, "Breadth-first and depth-first search."),
    ],
    "discrete_mathematics": [
        _text("Sets and logic", 20, "Propositions, quantifiers and set operations."),
        _text("Proof by induction", 20, "Prove a statement for every natural number."),
        _exercise("Counting", 25, "Permutations, combinations and the pigeonhole principle."),
    ],
    "version_control": [
        _video("Why version control", 8, "History, collaboration and safe experiments."),
        _interactive("Commits and branches", 20, "Record changes and work on them in parallel."),
        _exercise("Merging and conflicts", 25, "Bring branches together and settle conflicts."),
    ],
    "html_css": [
        _text("The structure of a page", 10, "Elements, attributes and the document tree."),
        _text("Semantic HTML", 10, "Headings, lists, sections and forms that mean something."),
        _video("Selectors and the cascade", 15, "Which rule wins, and why."),
        _interactive("The box model", 15, "Margins, borders, padding and content."),
        _exercise("Layouts with flexbox and grid", 30, "Lay out a responsive page."),
    ],
    "javascript": [
        _text("Values and functions", 15, "JavaScript's types, functions and scope."),
        _interactive("The DOM", 20, "Read and change a page from a script."),
        _exercise("Promises and async", 30, "Wait for the network without blocking the page."),
    ],
    "web_development": [
        _text("HTTP in practice", 15, "Requests, responses, status codes and headers."),
        _video("Front end and back end", 12, "What runs in the browser and what on the server."),
        _exercise("A small full-stack app", 45, "A form, an API and a database, end to end."),
    ],
    "statistics": [
        _text("Describing data", 15, "Mean, median, spread and the shape of a distribution."),
        _interactive("Probability", 20, "Events, independence and conditional probability."),
        _exercise("Hypothesis tests", 30, "Is a difference real or chance?"),
    ],
    "linear_algebra": [
        _video("Vectors", 12, "Directions and magnitudes, added and scaled."),
        _text("Matrices", 20, "Linear maps as tables of numbers, and their products."),
        _exercise("Eigenvalues", 30, "Directions a matrix only stretches."),
    ],
    "data_visualization": [
        _text("Choosing a chart", 10, "Match the chart to the question."),
        _exercise("Plotting with code", 25, "Charts from data frames, labelled and readable."),
    ],
    "machine_learning": [
        _text("Learning from data", 15, "Features, labels, training and generalisation."),
        _video("Linear and logistic regression", 20, "The first two models to know."),
        _interactive("Evaluating models", 20, "Splits, cross-validation and metrics."),
        _exercise("Overfitting", 30, "Spot it, then regularise it away."),
    ],
    "deep_learning": [
        _video("Neural networks", 20, "Layers of weighted sums and non-linearities."),
        _text("Backpropagation", 25, "Gradients, computed layer by layer."),
        _exercise("Training a network", 40, "Fit a small image classifier."),
    ],
    "databases": [
        _text("The relational model", 15, "Tables, keys and relations between them."),
        _interactive("SQL queries", 25, "Select, join, group and filter."),
        _exercise("Indexes and transactions", 30, "Fast reads and safe concurrent writes."),
    ],
    "computer_architecture": [
        _text("From gates to a CPU", 20, "Logic gates, registers and the instruction cycle."),
        _video("Memory hierarchy", 15, "Registers, caches, RAM and disks."),
        _exercise("Pipelines", 25, "Overlapping instructions, and the hazards it brings."),
    ],
    "operating_systems": [
        _text("Processes and threads", 20, "Programs running side by side."),
        _text("Memory management", 20, "Virtual memory, paging and protection."),
        _exercise("Scheduling", 25, "Which process runs next, and for how long."),
    ],
    "computer_networks": [
        _video("Layers of a network", 15, "From cables to applications."),
        _text("TCP and IP", 20, "Addressing, routing and reliable delivery."),
        _exercise("Tracing a request", 25, "What happens when you open a web page."),
    ],
    "distributed_systems": [
        _text("Why distribute", 15, "Scale, availability and what they cost."),
        _text("Consistency models", 25, "Strong, eventual and the trade-offs between them."),
        _exercise("Replication and consensus", 40, "Keep copies in step despite failures."),
    ],
}

LESSONS_DONE = [
    LessonsDone("alice", "programming_basics", 4, 6),
    LessonsDone("alice", "html_css", 5, 5),
    LessonsDone("alice", "statistics", 3, 2),
    LessonsDone("alice", "data_structures", 4, 1),
    LessonsDone("alice", "python_programming", 2, 0),
    LessonsDone("bob", "programming_basics", 4, 2),
    LessonsDone("bob", "html_css", 2, 1),
]
