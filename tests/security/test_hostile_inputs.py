"""Every string an operation of the contract takes is checked at the edge.

The cases are generated from the schema: for each contract operation, each string its
variables can carry (however deep in input objects and lists) gets a NUL character, then a
value one character over its cap. Each must come back as VALIDATION naming that field, never as
a 5xx or an internal error, and nothing may be written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLEnumType,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    ObjectFieldNode,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    print_ast,
    type_from_ast,
    validate,
    visit,
)
from sqlalchemy import Engine, text

from persistence.sql.models import Base
from schema.extensions.input_limits import MAX_ID_LENGTH, max_length
from schema.schema import build_schema
from tests.support.contract import CONTRACTS, contract_operations

if TYPE_CHECKING:
    from collections.abc import Iterator

    from config.settings import Settings
    from tests.security.conftest import ApiWith
    from tests.support.api import Api

SAMPLES: dict[str, Any] = {"Int": 1, "Float": 1.0, "Boolean": True, "ID": "x", "String": "x"}
Path = tuple[str, ...]


def _sample(type_: Any) -> Any:
    """A value of the type with every required part filled in."""
    if isinstance(type_, GraphQLNonNull):
        return _sample(type_.of_type)
    if isinstance(type_, GraphQLList):
        return [_sample(type_.of_type)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {name: _sample(field.type) for name, field in type_.fields.items()}
    return SAMPLES.get(type_.name, "x")


def _string_leaves(type_: Any, path: Path) -> Iterator[tuple[Path, GraphQLScalarType]]:
    """The path of every string (String or ID) a value of this type can hold."""
    if isinstance(type_, GraphQLNonNull):
        yield from _string_leaves(type_.of_type, path)
    elif isinstance(type_, GraphQLList):
        yield from _string_leaves(type_.of_type, (*path, "0"))
    elif isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            yield from _string_leaves(field.type, (*path, name))
    elif isinstance(type_, GraphQLScalarType) and type_.name in ("String", "ID"):
        yield path, type_


def _with(value: Any, path: Path, leaf: Any) -> Any:
    if not path:
        return leaf
    head, *rest = path
    if isinstance(value, list):
        return [_with(value[int(head)], tuple(rest), leaf)]
    return {**value, head: _with(value[head], tuple(rest), leaf)}


def _cases(schema: GraphQLSchema) -> Iterator[tuple[str, dict[str, Any], str, str]]:
    """(document, variables, field path, what is wrong) for each string of each operation."""
    for contract in CONTRACTS:
        for operation in contract_operations(contract).values():
            yield from _operation_cases(schema, operation)


class _Usages(Visitor):
    """Where each variable is used: the names of the arguments and input fields around it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, Path] = {}

    def enter_variable(
        self, node: VariableNode, _key: object, parent: Any, _path: object, ancestors: Any
    ) -> None:
        around = [*ancestors, parent]
        names = [n.name.value for n in around if isinstance(n, ArgumentNode | ObjectFieldNode)]
        if names:
            self.found[node.name.value] = tuple(names)


def _usages(operation: OperationDefinitionNode) -> dict[str, Path]:
    usages = _Usages()
    visit(operation, usages)
    return usages.found


def _operation_cases(
    schema: GraphQLSchema, operation: OperationDefinitionNode
) -> Iterator[tuple[str, dict[str, Any], str, str]]:
    if validate(schema, DocumentNode(definitions=(operation,))):
        return  # an operation of the next contract the schema does not offer yet
    usages = _usages(operation)
    types: dict[str, GraphQLInputType] = {}
    for definition in operation.variable_definitions or ():
        types[definition.variable.name.value] = type_from_ast(schema, definition.type)  # type: ignore[assignment]
    document = print_ast(operation)
    base = {name: _sample(type_) for name, type_ in types.items()}
    for name, type_ in types.items():
        for path, scalar in _string_leaves(type_, (name,)):
            field = (*usages.get(name, (name,)), *path[1:])  # named where it is used
            cap = MAX_ID_LENGTH if scalar is GraphQLID else max_length(_last_name(field))
            for wrong, leaf in (("nul", "a\x00b"), ("long", "x" * (cap + 1))):
                yield document, _with(base, path, leaf), _shown(field), wrong


def _shown(path: Path) -> str:
    """The field as errors name it: `input.keyTerms.0` is `keyTerms[0]`."""
    parts = path[1:] if path[0] == "input" and len(path) > 1 else path
    shown = ""
    for part in parts:
        shown += f"[{part}]" if part.isdigit() else (f".{part}" if shown else part)
    return shown


def _errors(body: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(field, code) of every error: the operation's, and those in mutation payloads."""
    found = [
        (e.get("extensions", {}).get("field"), e.get("extensions", {}).get("code"))
        for e in body.get("errors") or []
    ]
    for value in (body.get("data") or {}).values():
        if isinstance(value, dict):
            found += [(e.get("field"), e.get("code")) for e in value.get("errors") or []]
    return found


def _last_name(path: Path) -> str:
    return next(part for part in reversed(path) if not part.isdigit())


def _rows(engine: Engine) -> int:
    tables = Base.metadata.sorted_tables  # names from our own models, not from input
    counts = " + ".join(f'(SELECT count(*) FROM "{t.name}")' for t in tables)  # noqa: S608
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT {counts}")).scalar_one())


async def test_every_string_of_every_contract_operation_is_checked_at_the_edge(
    api: Api, engine: Engine, settings: Settings
) -> None:
    # given an admin, who may write almost anything
    await api.sign_in("admin", "admin-password")
    before = _rows(engine)
    cases = list(_cases(build_schema(settings)._schema))
    assert len(cases) > 100  # the contract has many strings; a broken generator finds none
    misses = []
    for document, variables, field, wrong in cases:
        # when a string gets a NUL character, or one character more than its cap
        response = await api.client.post(
            "/graphql",
            json={"query": document, "variables": variables},
            headers={"Authorization": f"Bearer {api.token}"},
        )
        errors = _errors(response.json())
        # then it is refused with VALIDATION naming that field (in the payload of a mutation)
        if response.status_code >= 500 or (field, "VALIDATION") not in errors:
            misses.append((field, wrong, response.status_code, errors[:2]))
    assert misses == [], "\n".join(map(str, misses))
    # and nothing was written by any of them
    assert _rows(engine) == before


async def test_strings_in_the_document_itself_are_checked_too(api: Api) -> None:
    body = await api.send('{ concepts(filter: {search: "a\\u0000b"}) { totalCount } }')
    [error] = body["errors"]
    assert error["extensions"] == {"code": "VALIDATION", "field": "filter.search"}


async def test_a_variable_meets_the_cap_of_the_field_it_fills(api: Api) -> None:
    # given a variable declared as a plain String but used as a search term (cap 200)
    document = "query($s: String) { concepts(filter: {search: $s}) { totalCount } }"
    ok = await api.send(document, {"s": "s" * 200})
    too_long = await api.send(document, {"s": "s" * 201})
    assert ok == {"data": {"concepts": {"totalCount": 0}}}
    assert too_long["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "filter.search"}


async def test_lists_have_a_maximum_size(api: Api, engine: Engine) -> None:
    await api.sign_in("admin", "admin-password")
    document = 'mutation($terms: [String!]) { createConcept(input: {name: "graphs", displayName: "Graphs", difficulty: BEGINNER, keyTerms: $terms}) { concept { id } errors { field code } } }'
    body = await api.data(document, {"terms": ["term"] * 101})
    assert body["createConcept"] == {
        "concept": None,
        "errors": [{"field": "keyTerms", "code": "VALIDATION"}],
    }
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM concepts")).scalar_one() == 0


async def test_a_list_that_is_a_set_refuses_a_repeated_item_naming_it(
    api: Api, engine: Engine
) -> None:
    await api.sign_in("admin", "admin-password")
    # given key terms repeated in a variable, and a question's options repeated in a literal
    concept = 'mutation($terms: [String!]) { createConcept(input: {name: "graphs", displayName: "Graphs", description: "d", difficulty: BEGINNER, keyTerms: $terms}) { concept { id } errors { field message code } } }'
    terms = await api.data(concept, {"terms": ["edge", "node", "edge"]})
    quiz = 'mutation($c: ID!) { createQuiz(input: {conceptId: $c, title: "Q", passingScore: 50, questions: [{prompt: "p", kind: SINGLE_CHOICE, options: ["a", "a"], correctAnswers: ["a"], points: 1}]}) { errors { field message code } } }'
    options = await api.data(quiz, {"c": "00000000-0000-0000-0000-000000000000"})
    # then each names the repeated item and the first one, and nothing is written
    assert terms["createConcept"] == {
        "concept": None,
        "errors": [
            {
                "field": "keyTerms[2]",
                "message": "keyTerms[2] repeats keyTerms[0]",
                "code": "VALIDATION",
            }
        ],
    }
    assert options["createQuiz"]["errors"] == [
        {
            "field": "questions[0].options[1]",
            "message": "questions[0].options[1] repeats questions[0].options[0]",
            "code": "VALIDATION",
        }
    ]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM concepts")).scalar_one() == 0
        assert connection.execute(text("SELECT count(*) FROM quizzes")).scalar_one() == 0


async def test_a_one_megabyte_search_term_is_refused_without_touching_a_store(
    api_with: ApiWith,
) -> None:
    # given query statistics in every response
    async with api_with(query_stats=True) as api:
        # when a search term of a megabyte is sent
        body = await api.send(
            "query($f: ConceptFilter) { concepts(filter: $f) { totalCount } }",
            {"f": {"search": "a" * 1_000_000}},
        )
    # then it is refused from its length, before any statement or graph query
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "filter.search"}
    assert body["extensions"]["queryStats"] == {"sql": 0, "cypher": 0}


async def test_a_document_over_the_length_cap_is_refused_before_parsing(api: Api) -> None:
    body = await api.send('{ concepts(filter: {search: "%s"}) { totalCount } }' % ("b" * 100_000))
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "query"}
