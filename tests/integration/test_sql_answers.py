"""SQL subtrees that PostgreSQL writes as the answer's own JSON text give exactly the answer
that building instances and completing every field gives: every contract query, and
variants with aliases, fragments, directives and __typename, compared value by value (types
included) between the HTTP view (which embeds the text) and `schema.execute` (which never
gets text, as no caller but the HTTP view encodes with orjson)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
import pytest
from graphql import OperationDefinitionNode
from sqlalchemy import text
from starlette.requests import Request

from resolvers.context import Context
from schema.app import create_app
from schema.schema import build_schema
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.contract import CONTRACTS, contract_operations, operation
from tests.support.learners import PASSWORD, make_concept, make_path, make_user
from tests.support.statements import counted_statements

if TYPE_CHECKING:
    import uuid
    from collections.abc import AsyncIterator

    from sqlalchemy import Engine
    from starlette.applications import Starlette

    from config.settings import Settings

# PostgreSQL's json_build_object writes `"key" : value`; orjson never puts a space there, so
# these bytes in a body show that PostgreSQL's text went into it unparsed.
WRITTEN_BY_POSTGRESQL = b'" : '


class Answers:
    """One API, asked twice: over HTTP, and by schema.execute with the same caller."""

    def __init__(self, app: Starlette, api: Api, settings: Settings) -> None:
        self.app = app
        self.api = api
        self.schema = build_schema(settings)

    async def both(self, query: str, variables: dict[str, Any] | None = None) -> bytes:
        """The HTTP body, after checking that its data and errors equal schema.execute's."""
        response = await self.api.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=self._headers(),
        )
        over_http = orjson.loads(response.content)
        executed = await self._executed(query, variables)
        assert_same(over_http.get("data"), executed.get("data"), "data")
        assert_same(over_http.get("errors"), executed.get("errors"), "errors")
        return response.content

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api.token}"} if self.api.token else {}

    async def _executed(self, query: str, variables: dict[str, Any] | None) -> dict[str, Any]:
        headers = [(k.lower().encode(), v.encode()) for k, v in self._headers().items()]
        scope = {"type": "http", "app": self.app, "headers": headers, "client": ("127.0.0.1", 1)}
        context = Context(self.app.state.resources, Request(scope), None)
        await context.confirm_principal()
        assert context.sends_json_text is False
        result = await self.schema.execute(query, variable_values=variables, context_value=context)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        decoded: dict[str, Any] = orjson.loads(orjson.dumps(body))  # as any JSON encoder would
        return decoded


def assert_same(ours: Any, theirs: Any, where: str) -> None:
    """Equal values of equal JSON types (5.0 is not 5), objects with keys in the same order."""
    assert type(ours) is type(theirs), f"{where}: {ours!r} != {theirs!r}"
    if isinstance(ours, dict):
        assert list(ours) == list(theirs), f"{where}: keys {list(ours)} != {list(theirs)}"
        for key in ours:
            assert_same(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), f"{where}: {len(ours)} items != {len(theirs)}"
        for index, (one, other) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(one, other, f"{where}[{index}]")
    else:
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"


@pytest.fixture
async def answers(settings: Settings) -> AsyncIterator[Answers]:
    app = create_app(settings)
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        yield Answers(app, Api(client), settings)


class World:
    def __init__(self, engine: Engine) -> None:
        self.learner = make_user(engine, "ada")
        self.alpha = make_concept(engine, "alpha")
        self.beta = make_concept(engine, "beta", [self.alpha])
        self.gamma = make_concept(engine, "gamma")
        self.path = make_path(
            engine, "Letters", required=[self.beta, self.alpha], optional=[self.gamma]
        )
        self._details(engine)
        self._progress(engine)

    def _details(self, engine: Engine) -> None:
        """Values whose JSON is easy to get wrong: integral and tiny floats, nulls, lists,
        quotes and non-ASCII text, timestamps with and without a fraction of a second."""
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE concepts SET complexity_score = 5, cognitive_load = 0.1,"
                    " key_terms = ARRAY['a \"quoted\" term', 'ünïcode ✓'], domain = 'math',"
                    " detailed_description = E'line\\nbreak', difficulty = 'advanced'"
                    " WHERE id = :id"
                ),
                {"id": self.alpha},
            )
            connection.execute(
                text(
                    "UPDATE concepts SET complexity_score = 1e-7, cognitive_load = 9.999999999999998 WHERE id = :id"
                ),
                {"id": self.beta},
            )
            connection.execute(
                text(
                    "UPDATE learning_paths SET estimated_hours = 12, category = 'c' WHERE id = :id"
                ),
                {"id": self.path},
            )

    def _progress(self, engine: Engine) -> None:
        rows = [
            (self.alpha, "completed", 100, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
            (self.beta, "in_progress", 33.3, datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=UTC)),
        ]
        with engine.begin() as connection:
            for concept, status, percent, at in rows:
                connection.execute(
                    text(
                        "INSERT INTO concept_progress (user_id, concept_id, status,"
                        " progress_percent, mastery_score, time_spent_seconds, version,"
                        " updated_at, completed_at)"
                        " VALUES (:user, :concept, :status, :percent, 0, 60, 1, :at, :done)"
                    ),
                    {
                        "user": self.learner,
                        "concept": concept,
                        "status": status,
                        "percent": percent,
                        "at": at,
                        "done": at if status == "completed" else None,
                    },
                )
            connection.execute(
                text(
                    "INSERT INTO path_enrollments (user_id, path_id, status, progress_percent,"
                    " version) VALUES (:user, :path, 'in_progress', 50, 1)"
                ),
                {"user": self.learner, "path": self.path},
            )

    def variables(self, name: str) -> dict[str, Any]:
        """Variables for a contract query, by its name (every query must be listed)."""
        concept = {"name": "alpha"}
        known: dict[str, dict[str, Any]] = {
            "Dashboard": {},
            "Concepts": {"first": 10},
            "ConceptPage": concept,
            "ConceptNeighborhood": {"name": "beta", "depth": 2},
            "PrerequisiteRoute": {"from": "alpha", "to": "beta"},
            "PathsContaining": concept,
            "SharedConcepts": {"minPaths": 1},
            "ConceptStats": {"first": 5},
            "LearningPaths": {"first": 5},
            "LearningPath": {"id": str(self.path)},
            "Course": {"id": str(self.path)},  # no such course: null
            "SyncStatus": {},
            "SyncEvents": {"first": 5},
            "ReconciliationRuns": {"first": 5},
            "SyncConflicts": {"first": 5},
            "Users": {"first": 5},
            "AuditLog": {"first": 5},
            "ConceptLessons": concept,
            "MyLearningSessions": {"first": 5},
            "Badges": {},
            "MyBadges": {},
        }
        return known[name]


# queries whose answer moves with the clock between two askings (and hold no SQL subtree)
MOVING = {"SyncStatus"}


def _queries() -> list[str]:
    return [
        name
        for path in CONTRACTS
        for name, definition in contract_operations(path).items()
        if isinstance(definition, OperationDefinitionNode)
        and definition.operation.value == "query"
        and name not in MOVING
    ]


@pytest.mark.parametrize("caller", ["ada", "admin", None])
async def test_every_contract_query_answers_the_same_over_http_and_by_execute(
    answers: Answers, engine: Engine, caller: str | None
) -> None:
    # given a world with values whose JSON is easy to get wrong, and a caller
    world = World(engine)
    if caller:
        await answers.api.sign_in(caller, "admin-password" if caller == "admin" else PASSWORD)
    embedded = []
    for name in _queries():
        # when each contract query is answered both ways, then the answers are the same
        body = await answers.both(operation(name), world.variables(name))
        if WRITTEN_BY_POSTGRESQL in body:
            embedded.append(name)
    # and the SQL subtrees' reads went into the HTTP answers as PostgreSQL wrote them
    assert {"Concepts", "LearningPath"} <= set(embedded)


CONCEPTS_VARIANT = """
query Variant($first: Int, $with: Boolean!, $without: Boolean!) {
  concepts(first: $first) {
    edges {
      node {
        __typename
        id
        label: displayName
        name
        ...Details
        ... on Concept { difficulty complexityScore score: complexityScore }
        ... @include(if: $with) { cognitiveLoad keyTerms }
        synonyms @skip(if: $without)
        name @include(if: $with)
        myProgress { status __typename percent: progressPercent completedAt updatedAt }
      }
    }
  }
}
fragment Details on Concept { description detailedDescription domain version name }
"""

PATH_VARIANT = """
query PathVariant($id: ID!, $with: Boolean!) {
  learningPath(id: $id) {
    t: title id estimatedHours difficulty category targetAudience __typename
    myEnrollment @include(if: $with) { status progressPercent enrolledAt path { title } }
  }
}
"""

ITEMS_VARIANT = """
query ItemsVariant($id: ID!, $with: Boolean!) {
  learningPath(id: $id) {
    concepts { orderIndex concept { ...Named myProgress { ... on ConceptProgress { status } } } }
    items: concepts {
      __typename required: isRequired @include(if: $with) at: orderIndex concept { id }
    }
  }
}
fragment Named on Concept { n: name id difficulty __typename }
"""

PROGRESS_VARIANT = """
query ProgressVariant($first: Int, $id: ID!) {
  me {
    progress(first: $first) {
      totalCount
      edges { cursor node { status completedAt updatedAt concept { name cognitiveLoad } } }
      pageInfo { endCursor }
    }
  }
  user(id: $id) {
    progress(first: $first) {
      edges { node { __typename progressPercent masteryScore timeSpentSeconds concept { id } } }
    }
  }
}
"""


@pytest.mark.parametrize("flags", [(True, False), (False, True), (True, True), (False, False)])
async def test_aliases_fragments_and_directives_answer_the_same_both_ways(
    answers: Answers, engine: Engine, flags: tuple[bool, bool]
) -> None:
    # given the world and its learner signed in
    world = World(engine)
    await answers.api.sign_in("ada", PASSWORD)
    with_, without = flags
    # when documents with aliases, fragments, directives and __typename are answered both ways
    documents: list[tuple[str, dict[str, Any]]] = [
        (CONCEPTS_VARIANT, {"first": 5, "with": with_, "without": without}),
        (PATH_VARIANT, {"id": str(world.path), "with": with_}),
        (ITEMS_VARIANT, {"id": str(world.path), "with": with_}),
        (PROGRESS_VARIANT, {"first": 5, "id": str(world.learner)}),
    ]
    bodies = [await answers.both(document, variables) for document, variables in documents]
    # then every answer is the same, and PostgreSQL wrote each of these subtrees
    assert all(WRITTEN_BY_POSTGRESQL in body for body in bodies)


async def test_a_selection_postgresql_cannot_write_falls_back_to_the_same_answer(
    answers: Answers, engine: Engine
) -> None:
    # given the world and its learner signed in
    world = World(engine)
    await answers.api.sign_in("ada", PASSWORD)
    documents = [
        # a field with a resolver of its own (the concept's quizzes)
        "{ concepts(first: 3) { edges { node { name quizzes { id } } } } }",
        # the same list under two response names: one value cannot be both
        "{ concepts(first: 3) { a: edges { node { name } } b: edges { node { id } } } }",
        "query P($id: ID!) { learningPath(id: $id) { concepts { a: concept { name } b: concept { id } } } }",
    ]
    for document in documents:
        # when it is answered both ways
        body = await answers.both(document, {"id": str(world.path)} if "$id" in document else None)
        # then the answers are the same, built as instances
        assert WRITTEN_BY_POSTGRESQL not in body


async def test_a_missing_path_is_null_both_ways(answers: Answers, engine: Engine) -> None:
    # given a path id that names no path
    unknown: uuid.UUID = make_user(engine, "not_a_path")
    # when the path is read both ways, then both answer null
    body = await answers.both(
        "query P($id: ID!) { learningPath(id: $id) { title } }", {"id": str(unknown)}
    )
    assert orjson.loads(body)["data"] == {"learningPath": None}


async def test_a_concept_by_name_is_written_by_postgresql_and_answers_the_same_both_ways(
    answers: Answers, engine: Engine
) -> None:
    # given the world and its learner signed in
    World(engine)
    await answers.api.sign_in("ada", PASSWORD)
    # when a concept whose selection is all columns and its progress is read by name, beside
    # a name that names no concept and one selected with a field of a resolver of its own
    body = await answers.both(
        """query($name: String!) {
          concept(name: $name) {
            __typename id label: displayName keyTerms complexityScore difficulty
            myProgress { status progressPercent }
          }
          missing: concept(name: "no_such_concept") { id }
          quizzed: concept(name: $name) { name quizzes { id } }
        }""",
        {"name": "beta"},
    )
    # then both ways answer the same, the first as PostgreSQL wrote it
    assert WRITTEN_BY_POSTGRESQL in body
    data = orjson.loads(body)["data"]
    assert data["missing"] is None
    assert data["quizzed"] == {"name": "beta", "quizzes": []}


PAGE_VARIANT = """
query PageVariant($after: String, $first: Int) {
  concepts(first: $first, after: $after) {
    totalCount
    edges { c: cursor __typename n: node { name } node { id myProgress { status } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
  me {
    progress(first: $first, after: $after) {
      totalCount
      edges { node { status concept { name } } cursor }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


@pytest.mark.parametrize(
    ("after", "first"), [(None, 2), ("bzow", 1), ("bzow", 100), ("bzoxMA==", 2), (None, 0)]
)
async def test_pages_written_whole_answer_the_same_from_any_cursor(
    answers: Answers, engine: Engine, after: str | None, first: int
) -> None:
    # given the world and its learner signed in
    World(engine)
    await answers.api.sign_in("ada", PASSWORD)
    # when a page of concepts and of progress is read from the start, from the first cursor,
    # past the end and empty, then both ways answer the same
    await answers.both(PAGE_VARIANT, {"after": after, "first": first})


async def test_my_progress_list_is_written_in_the_statement_that_reads_my_account(
    answers: Answers, engine: Engine
) -> None:
    # given the world and its learner signed in
    World(engine)
    await answers.api.sign_in("ada", PASSWORD)
    document = """{ me { username progress(first: 50) { totalCount
        edges { node { concept { id name displayName } status progressPercent updatedAt } }
        pageInfo { hasNextPage endCursor } } } }"""
    # when the learner reads their progress list with their account
    with counted_statements() as statements:
        body = await answers.both(document)
    # then PostgreSQL wrote the list in the one statement that read the account (each way)
    assert WRITTEN_BY_POSTGRESQL in body
    assert len([s for s in statements if "concept_progress" in s]) == 2
    page = orjson.loads(body)["data"]["me"]["progress"]
    assert [edge["node"]["concept"]["name"] for edge in page["edges"]] == ["beta", "alpha"]
