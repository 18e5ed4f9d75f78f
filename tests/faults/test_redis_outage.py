"""Redis stopped: writes still succeed at once, and the relay delivers them once it is back."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tests.faults.sync_checks import (
    CREATE,
    UPDATE,
    assert_converges,
    caught_up_product,
    concept_input,
    outbox_by_status,
)

if TYPE_CHECKING:
    from tests.faults.conftest import ApiFactory, FaultStores

# A mutation must not wait on the broker: far below the client's 30 s timeout.
MUTATION_SECONDS = 5.0


async def test_mutations_succeed_while_redis_is_down_and_the_relay_delivers_them_after(
    stores: FaultStores, http: ApiFactory
) -> None:
    # given the API and a worker (relaying after 2 s), all caught up, then Redis stopped
    api = await caught_up_product(stores, http)
    stores.stop("redis")
    # when concepts are created and one updated during the outage
    created = []
    for index in range(5):
        started = time.monotonic()
        payload = (await api.data(CREATE, concept_input(f"redis_outage_{index}")))["createConcept"]
        assert payload["errors"] == [], payload
        assert time.monotonic() - started < MUTATION_SECONDS
        created.append(payload["concept"]["id"])
    changed = {"input": {"description": "written while the broker was down"}}
    payload = (await api.data(UPDATE, {"id": created[-1], **changed}))["updateConcept"]
    assert payload["errors"] == [], payload
    # then their events wait in the outbox, not enqueued
    assert outbox_by_status(stores).get("pending") == 6
    # and once Redis is back the relay sends them and the graph converges
    stores.start("redis")
    assert_converges(stores, timeout=120)
