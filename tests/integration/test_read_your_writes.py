"""Read-your-writes: a query presenting a mutation's sync token waits until the graph has it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from schema.app import create_app
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.contract import operation

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import dramatiq

    from config.settings import Settings

CREATE = operation("CreateConcept")

ADD_RELATION = operation("AddConceptRelation")

PREREQUISITES = """
query ConceptPage($name: String!) {
  concept(name: $name) { name prerequisites(depth: 3) { id name displayName } }
}
"""

QUICK_WAIT_SECONDS = 0.3


@pytest.fixture
async def quick_api(settings: Settings) -> AsyncIterator[Api]:
    """The API with a short read-your-writes bound, signed in as the admin."""
    app = create_app(settings.model_copy(update={"sync_wait_seconds": QUICK_WAIT_SECONDS}))
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        api = Api(client)
        await api.sign_in("admin", "admin-password")
        yield api


async def create_concept(api: Api, name: str) -> dict[str, Any]:
    variables = {"input": {"name": name, "displayName": name.title(), "difficulty": "BEGINNER"}}
    payload: dict[str, Any] = (await api.data(CREATE, variables))["createConcept"]
    assert payload["errors"] == [], payload["errors"]
    return payload


async def read_with_token(api: Api, token: str, name: str) -> dict[str, Any]:
    return await api.send(PREREQUISITES, {"name": name}, headers={"X-Sync-Token": token})


async def test_a_query_with_the_token_of_a_new_link_sees_it_in_the_graph(
    api: Api, worker: dramatiq.Worker
) -> None:
    # given two concepts, read back once the graph has them
    await api.sign_in("admin", "admin-password")
    sets, graphs = [await create_concept(api, name) for name in ("sets", "graphs")]
    for created in (sets, graphs):
        body = await read_with_token(api, created["syncToken"], "graphs")
        assert body["extensions"]["sync"]["applied"] is True, body
    # when sets becomes a prerequisite of graphs
    link = {"sourceId": sets["concept"]["id"], "targetId": graphs["concept"]["id"]}
    added = await api.data(ADD_RELATION, {"input": {**link, "kind": "PREREQUISITE"}})
    token = added["addConceptRelation"]["syncToken"]
    # then a read presenting its token right away waits for it and sees the graph's new edge
    body = await read_with_token(api, token, "graphs")
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["sync"]["applied"] is True, body
    assert [p["name"] for p in body["data"]["concept"]["prerequisites"]] == ["sets"], body


async def test_without_a_worker_the_read_gives_up_after_the_bound_and_says_so(
    quick_api: Api,
) -> None:
    # given a concept created while no worker runs
    created = await create_concept(quick_api, "sets")
    # when a read presents its token
    started = time.monotonic()
    body = await read_with_token(quick_api, created["syncToken"], "sets")
    elapsed = time.monotonic() - started
    # then it waits about the bound, answers anyway, and reports the write as not yet applied
    sync = body["extensions"]["sync"]
    assert (sync["applied"], sync["pending"]) == (False, 1)
    assert QUICK_WAIT_SECONDS * 1000 <= sync["waitedMs"] < 1500
    assert QUICK_WAIT_SECONDS <= elapsed < 2.0
    assert body["data"]["concept"]["name"] == "sets"


@pytest.mark.parametrize("token", ["lg1.abc", "sometoken", "lg1.0", "lg1.5-2"])
async def test_a_malformed_token_is_an_error_naming_the_header_and_nothing_waits(
    quick_api: Api, token: str
) -> None:
    # when a read presents a token that is not one of ours
    started = time.monotonic()
    body = await read_with_token(quick_api, token, "sets")
    # then it gets a clear error naming the header at once, and no data
    assert time.monotonic() - started < QUICK_WAIT_SECONDS
    [error] = body["errors"]
    assert "X-Sync-Token" in error["message"]
    assert error["extensions"] == {"code": "VALIDATION", "field": "X-Sync-Token"}
    assert body.get("data") is None


async def test_a_read_without_a_token_neither_waits_nor_reports(quick_api: Api) -> None:
    await create_concept(quick_api, "sets")
    body = await quick_api.send(PREREQUISITES, {"name": "sets"})
    assert "sync" not in body.get("extensions", {})
