"""What PostgreSQL is asked to write as the answer itself, and what falls back to instances."""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLFloat,
    GraphQLList,
    GraphQLNonNull,
    GraphQLString,
)

from persistence.sql.reads.answers import (
    MAX_KEYS,
    Answer,
    Followed,
    Format,
    Literal,
    Written,
    answer_object,
)
from persistence.sql.reads.entities import CONCEPT, PROGRESS
from persistence.sql.reads.shapes import Column, Kind
from schema.sql_answers import _written


def test_keys_come_in_the_answers_order_with_the_callers_names() -> None:
    answer = Answer(
        (
            Written("label", "display_name"),
            Literal("__typename", "Concept"),
            Written("name", "name"),
        )
    )
    assert answer_object(CONCEPT, answer, "t0") == (
        "json_build_object('label', t0.\"display_name\", '__typename', CAST('Concept' AS text),"
        " 'name', t0.\"name\")"
    )


def test_a_followed_relation_is_a_subquery_of_its_own_answer() -> None:
    inner = Answer((Written("name", "name"),))
    written = answer_object(PROGRESS, Answer((Followed("c", "concept", inner),)), "t0")
    assert "(SELECT json_build_object('name', r1.\"name\") FROM concepts r1" in written


def test_an_enum_is_written_as_its_label_and_a_float_always_as_a_float() -> None:
    labels = (("beginner", "BEGINNER"),)
    answer = Answer(
        (
            Written("d", "difficulty", Format.LABEL, labels),
            Written("s", "complexity_score", Format.FLOAT),
        )
    )
    written = answer_object(CONCEPT, answer, "t0")
    assert "CASE t0.\"difficulty\" WHEN 'beginner' THEN 'BEGINNER' END" in written
    assert "|| '.0' AS json)" in written


def test_a_column_the_entity_lacks_and_too_many_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="concepts has no column password_hash"):
        answer_object(CONCEPT, Answer((Written("p", "password_hash"),)), "t0")
    many = Answer(tuple(Written(f"k{i}", "name") for i in range(MAX_KEYS + 1)))
    with pytest.raises(ValueError, match="more than"):
        answer_object(CONCEPT, many, "t0")


def test_a_non_null_field_over_a_nullable_column_is_left_to_the_instances() -> None:
    nullable = Column(Kind.TEXT, nullable=True)
    assert _written(GraphQLNonNull(GraphQLString), nullable) is None
    assert _written(GraphQLString, nullable) == Written("", "", Format.AS_IS)


def test_only_known_pairs_of_graphql_type_and_column_kind_are_written() -> None:
    floats = Column(Kind.FLOAT, nullable=False)
    assert _written(GraphQLFloat, floats) == Written("", "", Format.FLOAT)
    assert _written(GraphQLString, floats) is None
    texts = Column(Kind.TEXT_LIST, nullable=False)
    assert _written(GraphQLList(GraphQLNonNull(GraphQLString)), texts) is not None
    assert _written(GraphQLList(GraphQLList(GraphQLString)), texts) is None
    level = GraphQLEnumType("Level", {"LOW": "low"})
    assert _written(level, Column(Kind.TEXT, nullable=False)) == Written(
        "", "", Format.LABEL, (("low", "LOW"),)
    )
