"""The database's check constraints hold exactly the words of the domain's enums."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import CheckConstraint, text

from persistence.sql.models import Base

if TYPE_CHECKING:
    from sqlalchemy import Engine

QUOTED = re.compile(r"'((?:[^']|'')*)'")
CHECKS = sorted(
    (
        (table.name, str(constraint.name), str(constraint.sqltext))
        for table in Base.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint) and " IN (" in str(constraint.sqltext)
    ),
    key=lambda check: check[1],
)


def _words(definition: str) -> list[str]:
    return QUOTED.findall(definition)


@pytest.mark.parametrize(("table", "name", "declared"), CHECKS, ids=[c[1] for c in CHECKS])
def test_each_list_of_allowed_words_is_the_one_the_migrations_made(
    engine: Engine, table: str, name: str, declared: str
) -> None:
    # given the constraint as the models build it (from a domain enum, most of them)
    # when PostgreSQL, migrated to head, describes its own
    with engine.connect() as connection:
        found = connection.scalar(
            text(
                "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = :table AND c.conname = :name"
            ),
            {"table": table, "name": name},
        )
    # then it exists and allows the same words in the same order: a value added to an enum
    # needs a migration, and this names the constraint that lacks it
    assert found is not None, f"{name} is missing from the database"
    assert _words(found) == _words(declared), f"{name}: {found} is not {declared}"
