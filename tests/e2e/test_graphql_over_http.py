"""GraphQL over HTTP on a real server: graphql-http's audit, media types, statuses, refusals."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from ops.processes import stop
from tests.support.npm import node_modules
from tests.support.processes import spawn_api
from tests.support.system import require_command

if TYPE_CHECKING:
    from collections.abc import Iterator

    from websockets.datastructures import Headers

TOOLS = Path(__file__).parent / "npm"
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, engine: object) -> Iterator[str]:
    """One real `learngraph serve` for the module; yields the /graphql URL."""
    process, base = spawn_api(tmp_path_factory.mktemp("http") / "api.log", serve=True)
    try:
        yield f"{base}/graphql"
    finally:
        stop(process)


def _audit(url: str) -> list[dict[str, Any]]:
    node = require_command("node", "nodejs")
    modules = node_modules(TOOLS)
    script = str(TOOLS / "graphql-http-audit.cjs")
    env = {**os.environ, "NODE_PATH": str(modules)}
    done = subprocess.run([node, script, url], env=env, capture_output=True, check=True)
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def _post(url: str, body: object, accept: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if accept:
        headers["Accept"] = accept
    return httpx.post(url, content=json.dumps(body), headers=headers)


def test_the_graphql_http_audit_passes_every_check(api: str) -> None:
    # when graphql-http audits the live server
    results = _audit(api)
    # then every MUST, SHOULD and MAY check passes
    failed = [f"{r['id']} {r['name']}: {r['reason']}" for r in results if r["status"] != "ok"]
    assert failed == []
    assert len(results) > 50, "the audit ran its whole list"


def test_graphql_response_json_is_chosen_when_the_client_ranks_it_first(api: str) -> None:
    preferred = _post(
        api, {"query": "{ __typename }"}, f"{GRAPHQL_RESPONSE}, application/json;q=0.9"
    )
    demoted = _post(api, {"query": "{ __typename }"}, f"{GRAPHQL_RESPONSE};q=0.5, application/json")

    assert preferred.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert demoted.headers["content-type"].startswith("application/json")
    assert preferred.json() == demoted.json() == {"data": {"__typename": "Query"}}


def test_a_validation_error_is_400_without_data_in_graphql_response_json(api: str) -> None:
    response = _post(api, {"query": "{ noSuchField }"}, GRAPHQL_RESPONSE)

    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert "noSuchField" in body["errors"][0]["message"]


def test_a_validation_error_is_200_without_data_in_application_json(api: str) -> None:
    response = _post(api, {"query": "{ noSuchField }"}, "application/json")

    assert response.status_code == 200
    assert "data" not in response.json()


def test_a_field_error_keeps_data_and_status_200_in_graphql_response_json(api: str) -> None:
    # given a query whose field refuses an anonymous caller
    response = _post(api, {"query": "{ me { id } }"}, GRAPHQL_RESPONSE)
    # then execution ran: the data entry is there, the status is 200
    assert response.status_code == 200
    assert "data" in response.json()


def test_an_accept_header_without_a_json_type_is_refused_with_406(api: str) -> None:
    response = _post(api, {"query": "{ __typename }"}, "text/csv")

    assert response.status_code == 406
    assert "Accept" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"query": "{ __typename }", "variables": "{}"}, "`variables` must be an object"),
        ({"query": "{ __typename }", "operationName": 3}, "`operationName` must be a string"),
        ({"query": ["{ __typename }"]}, "`query` must be a string"),
        ({"query": "{ __typename }", "extensions": [1]}, "`extensions` must be an object"),
        ({"qeury": "{ __typename }"}, "`query` is missing"),
        ([{"query": "{ __typename }"}], "batched requests are not supported"),
        ("{ __typename }", "must be a JSON object"),
        (None, "must be a JSON object"),
    ],
)
def test_a_malformed_request_is_400_with_a_message_naming_the_parameter(
    api: str, body: object, named: str
) -> None:
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        response = _post(api, body, accept)

        assert response.status_code == 400, response.text
        assert named in response.json()["errors"][0]["message"]


def test_a_body_that_is_not_json_is_400_and_a_body_sent_as_text_is_415(api: str) -> None:
    broken = httpx.post(api, content=b'{"query": ', headers={"Content-Type": "application/json"})
    as_text = httpx.post(api, content=b'{"query": "{ __typename }"}')

    assert broken.status_code == 400
    assert "not valid JSON" in broken.json()["errors"][0]["message"]
    assert as_text.status_code == 415
    assert "send application/json" in as_text.json()["errors"][0]["message"]


def test_a_mutation_over_get_is_405_and_a_query_over_get_runs(api: str) -> None:
    mutation = httpx.get(api, params={"query": "mutation { __typename }"})
    query = httpx.get(api, params={"query": "{ __typename }"})

    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"
    assert query.json() == {"data": {"__typename": "Query"}}


def test_a_subscription_over_http_is_400_pointing_to_the_websocket(api: str) -> None:
    response = _post(api, {"query": "subscription { syncStatusChanged { lagSeconds } }"})

    assert response.status_code == 400
    assert "WebSocket" in response.json()["errors"][0]["message"]


def _open_socket(api: str, origin: str) -> Headers:
    """The handshake's response headers for a page on ``origin`` opening the GraphQL socket."""
    url = api.replace("http://", "ws://")
    protocol = Subprotocol("graphql-transport-ws")
    with connect(url, origin=Origin(origin), subprotocols=[protocol], open_timeout=30) as socket:
        assert socket.response is not None
        return socket.response.headers


def test_a_websocket_from_an_origin_cors_allows_is_accepted_and_others_are_refused(
    api: str,
) -> None:
    # given the development default: pages on localhost may call the API
    accepted = _open_socket(api, "http://localhost:5173")

    assert accepted["sec-websocket-protocol"] == "graphql-transport-ws"
    with pytest.raises(InvalidStatus) as refused:
        _open_socket(api, "https://elsewhere.example")
    assert refused.value.response.status_code == 403
