"""A graph read that Neo4j ends at its transaction timeout is a typed answer, never a 500.

The graph is a complete, cyclic web of prerequisites, so a six-link walk enumerates millions
of paths and outlasts a timeout of a fraction of a second on any machine.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from domain.events import EntityType
from persistence.sql.models import ConceptRelation
from resolvers.loaders.federated import graph_read
from resolvers.loaders.graph_errors import GraphTimeoutError
from schema.app import create_app
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.mirroring import World, concept, key

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from neo4j import Driver
    from sqlalchemy import Engine

    from config.settings import Settings
    from persistence.graph.reading import GraphReader
    from resolvers.resources import ApiResources

TIMEOUT_SECONDS = 0.2
PREREQUISITES = """
query Prerequisites { concept(name: "c00") { name prerequisites(depth: 6) { name } } }
"""


def tangle(world: World, size: int) -> None:
    """size concepts, each a prerequisite of every other, in SQL and in the graph."""
    concepts = [concept(f"c{index:02}") for index in range(size)]
    links = [
        ConceptRelation(
            id=uuid.uuid4(), source_id=a.id, target_id=b.id, kind="prerequisite", strength=0.5
        )
        for a, b in itertools.permutations(concepts, 2)
    ]
    world.add(*concepts)
    world.add(*links)
    world.apply(
        *[key(EntityType.CONCEPT, row.id) for row in concepts],
        *[key(EntityType.CONCEPT_RELATION, row.id) for row in links],
    )


@dataclass(frozen=True)
class Impatient:
    api: Api
    resources: ApiResources


@pytest.fixture
async def impatient(settings: Settings, engine: Engine, graph: Driver) -> AsyncIterator[Impatient]:
    """The API over a tangled graph, with a Neo4j transaction timeout of 0.2 s."""
    tangle(World(engine, graph, settings), 16)
    impatient = settings.model_copy(update={"neo4j_transaction_timeout_seconds": TIMEOUT_SECONDS})
    app = create_app(impatient)
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        yield Impatient(Api(client), app.state.resources)


async def count_to_a_billion(tx: GraphReader) -> int:
    result = await tx.run("UNWIND range(1, 1000000000) AS n RETURN count(n) AS n")
    record = await result.single(strict=True)
    return int(record["n"])


async def test_a_graph_read_past_the_timeout_is_a_typed_graph_timeout(
    impatient: Impatient,
) -> None:
    # when the API's graph reading runs a read far longer than the timeout
    with pytest.raises(GraphTimeoutError) as raised:
        await graph_read(impatient.resources, count_to_a_billion)
    # then Neo4j ended it and the field error says so, with its code
    assert raised.value.extensions == {"code": "GRAPH_TIMEOUT"}
    assert raised.value.message.startswith("the knowledge graph did not answer within 0.2 s")


async def test_a_walk_past_the_timeout_is_answered_from_sql_and_marked_degraded(
    impatient: Impatient,
) -> None:
    # when six links of prerequisites are asked of the tangle
    body = await impatient.api.send(PREREQUISITES)
    # then SQL answers them (every other concept, one link away, by name) and says so
    assert "errors" not in body, body["errors"]
    names = [entry["name"] for entry in body["data"]["concept"]["prerequisites"]]
    assert names == [f"c{index:02}" for index in range(1, 16)]
    assert body["extensions"]["degraded"] == {
        "graph": "unavailable",
        "fields": ["concept.prerequisites"],
    }
