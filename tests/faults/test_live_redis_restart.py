"""Redis restarted under a live subscription: the API's listener reconnects by itself and the
learner hears of the next change the worker applies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from tests.support.live import LiveClient, live_client

if TYPE_CHECKING:
    from tests.faults.conftest import FaultStores

REGISTER = "mutation($input: RegisterInput!) { register(input: $input) { token } }"
LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"
CREATE = "mutation($input: CreateConceptInput!) { createConcept(input: $input) { concept { id } } }"
RECORD = "mutation($input: RecordProgressInput!) { recordProgress(input: $input) { errors { message } } }"
MY_PROGRESS = "subscription { myProgressChanged { changed { status concept { name } } } }"
ENOUGH_MESSAGES = 20  # a bound on what to read, never a speed goal


def _call(base: str, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    reply = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=30,
    ).json()
    assert "errors" not in reply, reply
    return reply["data"]


def _completed_names(live: LiveClient) -> list[str]:
    """Read pushes until one reports a completed concept; the names it reports."""
    for _ in range(ENOUGH_MESSAGES):
        changed = live.next_data("progress")["myProgressChanged"]["changed"]
        names = [entry["concept"]["name"] for entry in changed if entry["status"] == "COMPLETED"]
        if names:
            return names
    return []


def test_a_subscription_hears_changes_applied_after_redis_restarted(stores: FaultStores) -> None:
    # given the API, a worker, a concept and a learner subscribed to their progress
    base = stores.api()
    stores.worker()
    admin = _call(base, LOGIN, {"u": "admin", "p": "admin-password"})
    fields = {"name": "restarts", "displayName": "Restarts", "difficulty": "BEGINNER"}
    concept = _call(base, CREATE, {"input": fields}, admin["login"]["token"])
    learner = {"username": "rosalind", "email": "rosalind@example.org", "password": "learner-pw-1"}
    token = _call(base, REGISTER, {"input": learner})["register"]["token"]
    with live_client(base, token) as live:
        live.subscribe("progress", MY_PROGRESS)
        assert live.next_data("progress")["myProgressChanged"]["changed"] == []
        # when Redis stops and comes back
        stores.stop("redis")
        stores.start("redis")
        # and the learner then completes the concept
        done = {
            "conceptId": concept["createConcept"]["concept"]["id"],
            "status": "COMPLETED",
            "progressPercent": 100,
        }
        assert _call(base, RECORD, {"input": done}, token)["recordProgress"]["errors"] == []
        # then the subscription, still open, reports it once the worker applied it
        assert _completed_names(live) == ["restarts"]
