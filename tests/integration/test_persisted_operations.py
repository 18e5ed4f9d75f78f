"""Automatic persisted queries in Redis, and trusted documents with PERSISTED_ONLY."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import redis
from click.testing import CliRunner

from cli.main import cli
from config.settings import Settings, SettingsError
from persistence.operations.apq import PREFIX
from schema.app import create_app
from tests.support.asgi import in_process_client
from tests.support.contract import CONTRACT, operation

if TYPE_CHECKING:
    from pathlib import Path

GRAPHQL_RESPONSE = "application/graphql-response+json"
CONCEPTS = operation("Concepts")
Client = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(sha: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


@pytest.fixture
def client(settings: Settings) -> Client:
    """An in-process API with some settings changed."""

    @asynccontextmanager
    async def open_client(**changes: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings.model_copy(update=changes))
        async with app.router.lifespan_context(app), in_process_client(app) as http:
            yield http

    return open_client


async def post(
    http: httpx.AsyncClient, body: dict[str, Any], accept: str = "application/json"
) -> httpx.Response:
    return await http.post("/graphql", json=body, headers={"Accept": accept})


def register(manifest: Path, *files: Path) -> None:
    done = CliRunner().invoke(
        cli, ["operations", "register", "--manifest", str(manifest), *map(str, files)]
    )
    assert done.exit_code == 0, done.output


async def test_an_unknown_hash_is_not_found_then_registered_then_served_from_redis(
    client: Client,
) -> None:
    query = "{ concepts(first: 2) { totalCount } }"
    async with client() as http:
        # given a client that sends only the hash of a document the API has never seen
        unknown = await post(http, {"extensions": apq(sha256(query))})
        assert unknown.status_code == 200
        assert unknown.json() == {
            "errors": [
                {
                    "message": "PersistedQueryNotFound",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                }
            ]
        }
        # when it sends hash and document, the document runs
        registered = await post(http, {"query": query, "extensions": apq(sha256(query))})
        assert registered.json() == {"data": {"concepts": {"totalCount": 0}}}
        # then the hash alone runs it from now on, over GET too
        again = await post(http, {"extensions": apq(sha256(query))})
        over_get = await http.get(
            "/graphql",
            params={
                "extensions": f'{{"persistedQuery":{{"version":1,"sha256Hash":"{sha256(query)}"}}}}'
            },
        )
    assert again.json() == registered.json()
    assert over_get.json() == registered.json()


async def test_a_hash_that_is_not_the_documents_sha256_is_refused_naming_the_field(
    client: Client,
) -> None:
    async with client() as http:
        response = await post(http, {"query": "{ __typename }", "extensions": apq("0" * 64)})
        wrong_version = await post(
            http, {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}}}
        )

    assert response.status_code == 400
    assert "sha256Hash` is not the sha256 of `query`" in response.json()["errors"][0]["message"]
    assert wrong_version.status_code == 400
    assert "persistedQuery.version` must be 1" in wrong_version.json()["errors"][0]["message"]


async def test_a_document_that_does_not_validate_is_not_kept(client: Client) -> None:
    invalid = "{ noSuchField }"
    async with client() as http:
        first = await post(
            http, {"query": invalid, "extensions": apq(sha256(invalid))}, GRAPHQL_RESPONSE
        )
        second = await post(http, {"extensions": apq(sha256(invalid))})

    assert first.status_code == 400
    assert second.json()["errors"][0]["message"] == "PersistedQueryNotFound"


async def test_the_cache_keeps_at_most_apq_max_entries_dropping_the_least_recently_used(
    client: Client, settings: Settings
) -> None:
    documents = [f"{{ concepts(first: {n}) {{ totalCount }} }}" for n in (1, 2, 3)]
    async with client(apq_max_entries=2) as http:
        # given three documents registered in turn
        for document in documents:
            await post(http, {"query": document, "extensions": apq(sha256(document))})
        # then the oldest is gone, the two newest are kept
        found = [await post(http, {"extensions": apq(sha256(d))}) for d in documents]
    assert [("errors" in r.json()) for r in found] == [True, False, False]
    keys = redis.Redis.from_url(settings.redis_url).keys(PREFIX + "*")
    assert len(keys) == 3  # two documents and the index


async def test_with_redis_down_a_hash_is_not_found_and_the_full_document_still_runs(
    client: Client,
) -> None:
    query = "{ __typename }"
    async with client(redis_url="redis://127.0.0.1:9/0") as http:
        unknown = await post(http, {"extensions": apq(sha256(query))})
        full = await post(http, {"query": query, "extensions": apq(sha256(query))})

    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert full.json() == {"data": {"__typename": "Query"}}


async def test_persisted_only_runs_manifest_operations_by_text_hash_or_document_id(
    client: Client, tmp_path: Path
) -> None:
    # given the contract registered as the trusted documents
    manifest = tmp_path / "manifest.json"
    register(manifest, CONTRACT)
    variables = {"first": 2}
    reformatted = "# the same operation, laid out by hand\n" + CONCEPTS.replace("\n", "\n\n")
    async with client(persisted_only=True, operations_manifest=manifest) as http:
        by_text = await post(http, {"query": CONCEPTS, "variables": variables})
        by_layout = await post(http, {"query": reformatted, "variables": variables})
        by_hash = await post(http, {"extensions": apq(sha256(CONCEPTS)), "variables": variables})
        by_id = await post(
            http, {"documentId": f"sha256:{sha256(CONCEPTS)}", "variables": variables}
        )

    for response in (by_text, by_layout, by_hash, by_id):
        assert response.json()["data"]["concepts"]["totalCount"] == 0, response.text
    assert by_text.json() == by_hash.json() == by_id.json() == by_layout.json()


async def test_persisted_only_refuses_any_other_operation_with_a_clear_error(
    client: Client, tmp_path: Path
) -> None:
    manifest = tmp_path / "manifest.json"
    register(manifest, CONTRACT)
    async with client(persisted_only=True, operations_manifest=manifest) as http:
        adhoc = await post(http, {"query": "{ __typename }"}, GRAPHQL_RESPONSE)
        unknown_hash = await post(http, {"extensions": apq("a" * 64)})
        unknown_id = await post(http, {"documentId": "sha256:" + "b" * 64})

    assert adhoc.status_code == 400
    assert "data" not in adhoc.json()
    error = adhoc.json()["errors"][0]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    assert "only registered operations" in error["message"]
    assert unknown_hash.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    assert unknown_id.json()["errors"][0]["extensions"]["code"] == "PERSISTED_DOCUMENT_NOT_FOUND"


async def test_operations_registered_while_the_api_runs_are_let_through_without_a_restart(
    client: Client, tmp_path: Path
) -> None:
    manifest = tmp_path / "manifest.json"
    extra = tmp_path / "extra.graphql"
    extra.write_text("query Typename { __typename }\n")
    register(manifest, CONTRACT)
    async with client(persisted_only=True, operations_manifest=manifest) as http:
        before = await post(http, {"query": "query Typename { __typename }"})
        register(manifest, extra)
        after = await post(http, {"query": "query Typename { __typename }"})

    assert before.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    assert after.json() == {"data": {"__typename": "Query"}}


async def test_persisted_only_without_registered_operations_refuses_to_start(
    settings: Settings, tmp_path: Path
) -> None:
    app = create_app(
        settings.model_copy(
            update={"persisted_only": True, "operations_manifest": tmp_path / "none.json"}
        )
    )
    with pytest.raises(SettingsError, match="PERSISTED_ONLY"):
        async with app.router.lifespan_context(app):
            pass


def test_registering_refuses_operations_the_schema_rejects_and_writes_nothing(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "manifest.json"
    broken = tmp_path / "broken.graphql"
    broken.write_text("query Fine { __typename }\nquery Broken { noSuchField }\n")

    refused = CliRunner().invoke(
        cli, ["operations", "register", "--manifest", str(manifest), str(broken)]
    )
    skipped = CliRunner().invoke(
        cli, ["operations", "register", "--skip-invalid", "--manifest", str(manifest), str(broken)]
    )

    assert refused.exit_code == 1
    assert "operation Broken" in refused.output
    assert "noSuchField" in refused.output
    assert skipped.exit_code == 0
    assert "1 operations registered" in skipped.output
    assert "Fine" in manifest.read_text()
    assert "Broken" not in manifest.read_text()


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("query { __typename }", "has no name"),
        ("query Broken {", "Syntax Error"),
        ("query A { ...Missing }", "fragment Missing"),
    ],
)
def test_registering_names_the_file_and_what_is_wrong(
    tmp_path: Path, source: str, named: str
) -> None:
    document = tmp_path / "ops.graphql"
    document.write_text(source)

    done = CliRunner().invoke(
        cli, ["operations", "register", "--manifest", str(tmp_path / "m.json"), str(document)]
    )

    assert done.exit_code == 1
    assert str(document) in done.output
    assert named in done.output
    assert not (tmp_path / "m.json").exists()
