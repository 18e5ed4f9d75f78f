"""Generated clients and GraphiQL show descriptions: every public schema element has one."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    specified_scalar_types,
)

from schema.schema import build_schema

if TYPE_CHECKING:
    from collections.abc import Iterator


@cache
def graphql_schema() -> GraphQLSchema:
    return build_schema()._schema


def _public_types() -> Iterator[GraphQLNamedType]:
    for name, named in graphql_schema().type_map.items():
        if not name.startswith("__") and name not in specified_scalar_types:
            yield named


def _described_members(named: GraphQLNamedType) -> Iterator[tuple[str, str | None]]:
    """Each field, argument, input field and enum value of a type: its path and description."""
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        for field_name, field in named.fields.items():
            yield f"{named.name}.{field_name}", field.description
            for arg_name, arg in field.args.items():
                yield f"{named.name}.{field_name}({arg_name})", arg.description
    if isinstance(named, GraphQLInputObjectType):
        for field_name, input_field in named.fields.items():
            yield f"{named.name}.{field_name}", input_field.description
    if isinstance(named, GraphQLEnumType):
        for value_name, value in named.values.items():
            yield f"{named.name}.{value_name}", value.description


def _undescribed_members(named: GraphQLNamedType) -> Iterator[str]:
    return (path for path, description in _described_members(named) if not description)


def undescribed() -> list[str]:
    """Every public type, field, argument and enum value without a description."""
    missing: list[str] = []
    for named in _public_types():
        if not named.description:
            missing.append(named.name)
        missing.extend(_undescribed_members(named))
    return missing


def test_every_type_field_argument_and_enum_value_has_a_description() -> None:
    # given the schema clients are generated from
    # then nothing public is left without a description
    assert undescribed() == []


def test_the_undescribed_check_finds_an_undescribed_field() -> None:
    # given a type with one field whose description is missing
    from graphql import GraphQLField, GraphQLString

    bare = GraphQLObjectType("Bare", {"name": GraphQLField(GraphQLString)}, description="A type.")
    # then the check names exactly that field
    assert list(_undescribed_members(bare)) == ["Bare.name"]


def test_custom_scalars_link_their_specification() -> None:
    # given the custom scalars (DateTime, JSON, ...)
    custom = [t for t in _public_types() if isinstance(t, GraphQLScalarType)]
    # then each one says where its format is specified
    assert custom
    assert {t.name: t.specified_by_url for t in custom if not t.specified_by_url} == {}
