"""Live updates over real WebSockets (graphql-transport-ws) across two uvicorn processes and a
real worker: a change written through one API process reaches subscriptions on the other once
the worker has applied it to the graph."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from domain.security import issue_token, read_token
from ops.processes import stop
from tests.support.live import LiveClient, close_code_of, live_client
from tests.support.processes import spawn_api, spawn_worker
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from neo4j import Driver

    from config.settings import Settings

SHORT_TTL_SECONDS = 3
STARTUP_SECONDS = 120  # two processes starting on a busy machine; a bound, not a goal
CAPS = {"LIVE_MAX_CONNECTIONS_PER_USER": "3", "LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION": "2"}

LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"
REGISTER = """
mutation($input: RegisterInput!) { register(input: $input) { token errors { message } } }
"""
CREATE = """
mutation($input: CreateConceptInput!) { createConcept(input: $input) { concept { id } } }
"""
LINK = """
mutation($input: ConceptRelationInput!) {
  addConceptRelation(input: $input) { relation { id } errors { message } }
}
"""
RECORD = """
mutation($input: RecordProgressInput!) {
  recordProgress(input: $input) { progress { status } errors { message } }
}
"""
MY_PROGRESS = """
subscription { myProgressChanged {
  changed { status progressPercent concept { name } }
  me { username dashboard { completedCount } }
} }
"""
RECOMMENDATIONS = "subscription { recommendationsChanged(first: 5) { concept { name } reason } }"
SYNC_STATUS = "subscription { syncStatusChanged { pending published completed graphAvailable } }"


@pytest.fixture(scope="module")
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two API processes (A and B) and one worker, with small live caps."""
    logs: Path = tmp_path_factory.mktemp("live")
    with ExitStack() as running:
        running.callback(stop, spawn_worker(logs / "worker.log"))
        first, base_a = spawn_api(logs / "api-a.log", CAPS, wait=STARTUP_SECONDS, serve=True)
        running.callback(stop, first)
        second, base_b = spawn_api(logs / "api-b.log", CAPS, wait=STARTUP_SECONDS, serve=True)
        running.callback(stop, second)
        yield base_a, base_b


def _call(base: str, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables}
    reply = httpx.post(f"{base}/graphql", json=body, headers=headers, timeout=30).json()
    assert "errors" not in reply, reply
    return reply["data"]


def _admin(base: str) -> str:
    token: str = _call(base, LOGIN, {"u": "admin", "p": "admin-password"})["login"]["token"]
    return token


def _learner(base: str, name: str) -> str:
    fields = {"username": name, "email": f"{name}@example.org", "password": "learner-password"}
    token: str = _call(base, REGISTER, {"input": fields})["register"]["token"]
    return token


def _concept(base: str, token: str, name: str) -> str:
    fields = {"name": name, "displayName": name.title(), "difficulty": "BEGINNER"}
    concept_id: str = _call(base, CREATE, {"input": fields}, token)["createConcept"]["concept"][
        "id"
    ]
    return concept_id


def _prerequisite_in_graph(graph: Driver, settings: Settings) -> bool:
    records, _, _ = graph.execute_query(
        "MATCH (:Concept {name: 'basics'})-[:PREREQUISITE]->(:Concept {name: 'advanced'}) "
        "RETURN count(*) AS n",
        database_=settings.neo4j_database,
    )
    return bool(records[0]["n"])


def _course_of_two(base: str, graph: Driver, settings: Settings) -> str:
    """basics -> advanced (a prerequisite), in the graph; returns the id of basics."""
    admin = _admin(base)
    basics, advanced = _concept(base, admin, "basics"), _concept(base, admin, "advanced")
    link = {"sourceId": basics, "targetId": advanced, "kind": "PREREQUISITE"}
    _call(base, LINK, {"input": link}, admin)
    eventually(lambda: _prerequisite_in_graph(graph, settings), timeout=60)
    return basics


def test_a_learner_hears_of_their_applied_progress_and_new_recommendations_on_another_process(
    processes: tuple[str, str], graph: Driver, settings: Settings
) -> None:
    # given two concepts in the graph and a learner watching through process B
    base_a, base_b = processes
    basics = _course_of_two(base_a, graph, settings)
    token = _learner(base_a, "ada")
    with live_client(base_b, token) as live:
        live.subscribe("progress", MY_PROGRESS)
        live.subscribe("recommendations", RECOMMENDATIONS)
        first = live.next_data("progress")["myProgressChanged"]
        before = live.next_data("recommendations")["recommendationsChanged"]
        assert first["changed"] == []
        assert first["me"]["username"] == "ada"
        assert "advanced" not in [found["concept"]["name"] for found in before]
        # when the learner completes basics through process A
        done = {"conceptId": basics, "status": "COMPLETED", "progressPercent": 100}
        _call(base_a, RECORD, {"input": done}, token)
        # then process B pushes the applied progress, then recommendations that include advanced
        update = live.next_data("progress")["myProgressChanged"]
        after = live.next_data("recommendations")["recommendationsChanged"]
    assert update["changed"] == [
        {"status": "COMPLETED", "progressPercent": 100.0, "concept": {"name": "basics"}}
    ]
    assert update["me"]["dashboard"]["completedCount"] == 1
    assert "advanced" in [found["concept"]["name"] for found in after]


def test_an_admin_hears_the_sync_status_change_after_a_write_on_another_process(
    processes: tuple[str, str],
) -> None:
    # given an admin watching the sync status through process A
    base_a, base_b = processes
    admin = _admin(base_a)
    with live_client(base_a, admin) as live:
        live.subscribe("sync", SYNC_STATUS)
        before = live.next_data("sync")["syncStatusChanged"]
        # and process A counts the subscription as open
        assert _subscriptions_open(base_a) == 1
        # when a concept is written through process B and the worker applies it
        _concept(base_b, admin, "recursion")
        # then the figures pushed move until the new event is completed
        after = eventually(
            lambda: _completed_more(live, before["completed"]), timeout=60, interval=0
        )
    assert after["graphAvailable"] is True
    assert after["pending"] == after["published"] == 0
    # and once the socket is closed the subscription no longer counts
    eventually(lambda: _subscriptions_open(base_a) == 0, timeout=10)


def _subscriptions_open(base: str) -> float:
    for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines():
        if line.startswith("learngraph_subscriptions_open "):
            return float(line.split()[1])
    raise AssertionError("no learngraph_subscriptions_open in /metrics")


def _completed_more(live: LiveClient, completed: int) -> dict[str, Any] | None:
    status: dict[str, Any] = live.next_data("sync")["syncStatusChanged"]
    return status if status["completed"] > completed else None


@pytest.mark.parametrize(
    "init_payload",
    [None, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YWRtaW4="}],
    ids=["no token", "a bad token", "another scheme"],
)
def test_connection_init_without_a_valid_token_is_closed_with_4401(
    processes: tuple[str, str], init_payload: dict[str, str] | None
) -> None:
    assert close_code_of(processes[0], init_payload) == 4401


def test_connections_beyond_the_cap_per_user_across_processes_are_closed_with_4403(
    processes: tuple[str, str],
) -> None:
    # given a learner holding the cap of three connections, on both processes
    base_a, base_b = processes
    token = _learner(base_a, "grace")
    init = {"Authorization": f"Bearer {token}"}
    with ExitStack() as held, ExitStack() as last:
        for base in (base_a, base_b):
            held.enter_context(live_client(base, token))
        last.enter_context(live_client(base_a, token))
        # when a fourth connects, to either process, it is refused
        assert close_code_of(base_b, init) == 4403
        # and once one closes, a new connection is accepted again
        last.close()
        assert eventually(lambda: close_code_of(base_b, init) is None, timeout=30)


def test_only_admins_watch_sync_only_subscriptions_go_over_the_socket_and_their_number_is_capped(
    processes: tuple[str, str],
) -> None:
    # given a learner's connection
    token = _learner(processes[0], "linus")
    with live_client(processes[1], token) as live:
        # when they ask for the operators' sync status
        live.subscribe("sync", SYNC_STATUS)
        refused = live.receive("sync")
        # then that subscription fails alone with FORBIDDEN
        assert refused["type"] == "next"
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert live.receive("sync")["type"] == "complete"
        # and a query is refused over the socket: queries and mutations go over HTTP
        live.subscribe("query", "query { me { username } }")
        query = live.receive("query")
        assert query["type"] == "error"
        assert query["payload"][0]["extensions"]["code"] == "SUBSCRIPTIONS_ONLY"
        # and beyond two open subscriptions a third is refused with an error
        live.subscribe("one", MY_PROGRESS)
        live.subscribe("two", RECOMMENDATIONS)
        live.next_data("one")
        live.next_data("two")
        live.subscribe("three", MY_PROGRESS)
        third = live.receive("three")
    assert third["type"] == "error"
    assert "limit" in third["payload"][0]["message"].lower()


def test_a_connection_closes_with_4401_when_its_token_expires(
    processes: tuple[str, str], settings: Settings
) -> None:
    # given a learner connected with a token that lives a few seconds
    secret = settings.token_secret.get_secret_value()
    claims = read_token(_learner(processes[0], "barbara"), secret=secret)
    short_lived = issue_token(
        claims.principal,
        generation=claims.generation,
        secret=secret,
        ttl_seconds=SHORT_TTL_SECONDS,
    )
    with live_client(processes[1], short_lived) as live:
        live.subscribe("progress", MY_PROGRESS)
        live.next_data("progress")
        # when the token expires, then the server closes the connection as unauthorized
        with pytest.raises(ConnectionClosed) as closed:
            live.receive("progress")
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


def test_the_socket_holds_documents_and_messages_to_the_caps_http_does(
    processes: tuple[str, str],
) -> None:
    token = _learner(processes[0], "ada")
    with live_client(processes[0], token) as live:
        # a document over the cap is refused by its length, before anything parses it
        too_long = "subscription { myProgressChanged { me { id } } } #" + "x" * 100_000
        live.subscribe("long", too_long)
        refused = live.receive("long")
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"] == {"code": "VALIDATION", "field": "query"}
        # and the connection still serves
        live.subscribe("mine", MY_PROGRESS)
        assert "myProgressChanged" in live.next_data("mine")
    with live_client(processes[0], token) as live:
        # a document that does not parse closes the socket as a bad request, saying why
        live.subscribe("broken", "subscription { myProgressChanged {")
        with pytest.raises(ConnectionClosed) as closed:
            live.receive("broken")
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4400
        assert "Syntax Error" in closed.value.rcvd.reason
    with live_client(processes[0], token) as live:
        # a message over MAX_BODY_BYTES is not read: the socket closes with 1009 (too big)
        live.subscribe("huge", MY_PROGRESS, {"padding": "x" * 1_100_000})
        with pytest.raises(ConnectionClosed) as closed:
            live.receive("huge")
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009
