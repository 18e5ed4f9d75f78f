"""A worker killed (SIGKILL) while applying: another worker finishes its batch later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.faults.sync_checks import (
    CREATE,
    assert_converges,
    concept_input,
    outbox_by_status,
    use_fast_relay,
)
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from tests.faults.conftest import ApiFactory, FaultStores

EVENTS = 60


async def test_a_batch_lost_with_a_killed_worker_is_completed_by_another(
    stores: FaultStores, http: ApiFactory
) -> None:
    # given many committed changes queued while no worker runs
    use_fast_relay(stores)
    api = http(stores.api())
    await api.sign_in("admin", "admin-password")
    for index in range(EVENTS):
        payload = (await api.data(CREATE, concept_input(f"crash_concept_{index}")))["createConcept"]
        assert payload["errors"] == [], payload
    # when a worker starts on them and is killed right after its first batch completes
    # (batches kept small: with the default gathering the first wave would take all 60)
    stores.env["SYNC_GATHER_LIMIT"] = "5"
    first = stores.worker(threads=4)
    eventually(lambda: outbox_by_status(stores).get("completed", 0) > 0, timeout=60, interval=0.02)
    stores.kill(first)
    left = sum(n for status, n in outbox_by_status(stores).items() if status != "completed")
    # then another worker completes everything the killed one held or never reached
    stores.worker()
    assert_converges(stores, timeout=120)
    assert left > 0, "the worker finished everything before it was killed; nothing was tested"
