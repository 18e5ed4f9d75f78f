"""Neo4j stopped: writes still succeed, and the graph converges once it is back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.faults.sync_checks import (
    CREATE,
    UPDATE,
    assert_converges,
    caught_up_product,
    concept_input,
    outbox_by_status,
)
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from tests.faults.conftest import ApiFactory, FaultStores


async def test_mutations_succeed_while_neo4j_is_down_and_converge_when_it_returns(
    stores: FaultStores, http: ApiFactory
) -> None:
    # given the API and a worker (relaying after 2 s), and Neo4j stopped
    api = await caught_up_product(stores, http)
    stores.stop("neo4j")
    # when concepts are created and updated during the outage
    created = []
    for index in range(5):
        payload = (await api.data(CREATE, concept_input(f"outage_concept_{index}")))[
            "createConcept"
        ]
        assert payload["errors"] == [], payload
        created.append(payload["concept"]["id"])
    changed = {"input": {"description": "written while the graph was down"}}
    payload = (await api.data(UPDATE, {"id": created[0], **changed}))["updateConcept"]
    assert payload["errors"] == [], payload
    # then the events wait, none of them dead
    assert eventually(lambda: outbox_by_status(stores).get("failed", 0) > 0, timeout=60)
    assert "dead" not in outbox_by_status(stores)
    # and once Neo4j is back every change reaches it and no event stays open
    stores.start("neo4j")
    assert_converges(stores, timeout=120)
