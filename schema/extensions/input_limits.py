"""How long a string and how long a list each input may be, by the name of its field.

One table for every argument and input field, so that a new input is bounded the moment it is
declared: a name it shares with others gets their cap, any other name the default.
"""

from __future__ import annotations

__all__ = ["MAX_ID_LENGTH", "distinct_items", "max_items", "max_length"]

MAX_ID_LENGTH = 100  # ids are UUIDs or snake_case names
NAME = 200  # names, titles, labels, codes
SEARCH = 200
PHRASE = 500  # one item of a list of terms, objectives, options, answers; a short reason
TEXT = 10_000  # descriptions, summaries, notes, a bio, a question
LONG_TEXT = 100_000  # a lesson's body, a concept's detailed description
DEFAULT_LENGTH = 2_000

# lists stored as given whose items are a set: an item given twice is a mistake (two identical
# options of a question, a term listed twice), refused rather than stored twice. (Lists read as
# sets, such as contentTypes and a course structure's skills and conceptNames, merge repeats.)
SET_LISTS = (
    "keyTerms",
    "synonyms",
    "learningObjectives",
    "practicalApplications",
    "realWorldExamples",
    "options",
    "correctAnswers",
)

LENGTHS = {
    **dict.fromkeys(
        (
            "name",
            "displayName",
            "username",
            "title",
            "firstName",
            "lastName",
            "domain",
            "category",
            "subcategory",
            "targetAudience",
            "timezone",
            "language",
            "conceptName",
            "conceptNames",
            "from",
            "to",
            "skills",
            "entityTypes",
            "contentTypes",
            "role",
            "after",
            "before",
        ),
        NAME,
    ),
    "email": 254,
    "search": SEARCH,
    **dict.fromkeys(("password", "currentPassword", "newPassword"), 256),
    **dict.fromkeys(("token", "refreshToken"), 4_096),
    **dict.fromkeys(("url", "avatarUrl"), 2_048),
    **dict.fromkeys((*SET_LISTS, "answers", "reason"), PHRASE),
    **dict.fromkeys(("description", "summary", "notes", "bio", "prompt"), TEXT),
    **dict.fromkeys(("detailedDescription", "body"), LONG_TEXT),
}

DEFAULT_ITEMS = 100
ITEMS = {"items": 500, "questions": 200, "answers": 200, "ids": 500}


def max_length(field: str) -> int:
    """The longest string the input field (or argument) of this name takes."""
    return LENGTHS.get(field, DEFAULT_LENGTH)


def max_items(field: str) -> int:
    """The most items a list input of this name takes."""
    return ITEMS.get(field, DEFAULT_ITEMS)


DISTINCT = frozenset(SET_LISTS)


def distinct_items(field: str) -> bool:
    """Whether the list input of this name takes each item at most once."""
    return field in DISTINCT
