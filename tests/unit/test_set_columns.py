"""What the bookkeeping reads of a statement: the columns an UPDATE sets, and the tables text
SQL writes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, text, update

from persistence.sql.bookkeeping import HiddenWrite, refuse_hidden_writes, set_columns
from persistence.sql.models import Base, Concept, User

USERS = Base.metadata.tables["users"]


@pytest.mark.parametrize(
    ("statement", "names"),
    [
        (update(User).values(last_login_at=func.now()), {"last_login_at"}),
        (
            update(User).values({User.password_hash: "h", User.role: "admin"}),
            {"password_hash", "role"},
        ),
        (update(USERS).values({USERS.c.email: "a@b.c"}), {"email"}),
        (update(Concept).values(version=Concept.version + 1, name="n"), {"version", "name"}),
        (
            update(Concept).ordered_values((Concept.name, "n"), (Concept.category, "c")),
            {"name", "category"},
        ),
        (update(Concept).values(name="a").values(category="b"), {"name", "category"}),
        (update(Concept).where(Concept.name == "a"), set()),
    ],
)
def test_the_columns_an_update_sets_are_named_whichever_way_it_sets_them(
    statement: object, names: set[str]
) -> None:
    assert set_columns(statement) == names  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE learning_path_items SET order_index = 0",
        "update ONLY concepts set name = 'x'",
        'INSERT INTO "concepts" (name) VALUES (1)',
        'DELETE FROM public."concepts" WHERE true',
        "WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone",
        "TRUNCATE TABLE concept_relations",
    ],
)
def test_text_that_writes_a_table_of_the_models_is_refused_naming_it(sql: str) -> None:
    with pytest.raises(
        HiddenWrite,
        match=r"text SQL writes (learning_path_items|concepts|users|concept_relations),",
    ):
        refuse_hidden_writes(text(sql))


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT id FROM concepts WHERE id = :id FOR UPDATE OF concepts",
        "SELECT pg_advisory_xact_lock(:key)",
        "INSERT INTO scratch (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2",
        "SET LOCAL learngraph.audit_purge = 'on'",
    ],
)
def test_text_that_reads_or_writes_no_table_of_the_models_passes(sql: str) -> None:
    refuse_hidden_writes(text(sql))
