"""A burst of concurrent writes, many to the same concepts, through two worker processes."""

from __future__ import annotations

import asyncio
import itertools
from typing import TYPE_CHECKING

from tests.faults.sync_checks import (
    ADD_RELATION,
    CREATE,
    UPDATE,
    assert_converges,
    concept_input,
    use_fast_relay,
)

if TYPE_CHECKING:
    from tests.faults.conftest import ApiFactory, FaultStores
    from tests.support.api import Api

CLIENTS = 16
CONCEPTS = 10
UPDATES = 180  # with the creates and a few relations, about 200 mutations


async def _create_concepts(api: Api) -> list[str]:
    created = []
    for index in range(CONCEPTS):
        payload = (await api.data(CREATE, concept_input(f"burst_concept_{index}")))["createConcept"]
        assert payload["errors"] == [], payload
        created.append(payload["concept"]["id"])
    return created


async def _update(api: Api, concept_id: str, number: int) -> None:
    variables = {"id": concept_id, "input": {"description": f"update {number}"}}
    payload = (await api.data(UPDATE, variables))["updateConcept"]
    assert payload["errors"] == [], payload


async def _relate(api: Api, source_id: str, target_id: str) -> None:
    link = {"sourceId": source_id, "targetId": target_id, "kind": "RELATED_TO", "strength": 0.5}
    payload = (await api.data(ADD_RELATION, {"input": link}))["addConceptRelation"]
    assert payload["errors"] == [], payload


async def _client(api: Api, work: list[tuple[str, int]]) -> None:
    for concept_id, number in work:
        await _update(api, concept_id, number)


async def test_a_burst_of_concurrent_writes_through_two_workers_converges_without_duplicates(
    stores: FaultStores, http: ApiFactory
) -> None:
    # given the API and two worker processes
    use_fast_relay(stores)
    base = stores.api()
    stores.worker()
    stores.worker()
    clients = [http(base) for _ in range(CLIENTS)]
    token = await clients[0].sign_in("admin", "admin-password")
    for client in clients:
        client.token = token
    concepts = await _create_concepts(clients[0])
    # when 16 clients update the same few concepts concurrently, and link some of them
    work = list(
        zip(itertools.islice(itertools.cycle(concepts), UPDATES), range(UPDATES), strict=True)
    )
    shares = [work[index::CLIENTS] for index in range(CLIENTS)]
    links = [_relate(clients[i], concepts[i], concepts[i + 1]) for i in range(CONCEPTS - 1)]
    await asyncio.gather(*(_client(c, s) for c, s in zip(clients, shares, strict=True)), *links)
    # then the graph ends exactly as SQL: same versions and content, one node per id,
    # and no event pending, failed or dead
    assert_converges(stores, timeout=180)
