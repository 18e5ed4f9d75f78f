"""LG_ENV=production: no example secrets, GraphiQL, introspection and suggestions closed,
/metrics only for the holder of METRICS_TOKEN."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from config.production import EXAMPLE_SECRETS
from config.settings import Settings, SettingsError, get_settings
from ops.processes import BIN
from tests.security.conftest import PRODUCTION, ApiWith

ROOT = Path(__file__).resolve().parents[2]
STRONG = {
    "LG_ENV": "production",
    "TOKEN_SECRET": "a-long-random-secret-nobody-has-seen-before-42",
    "LG_ADMIN_PASSWORD": "a-strong-admin-passphrase",
    "NEO4J_PASSWORD": "a-strong-graph-passphrase",
    "DATABASE_URL": "postgresql+psycopg://learngraph:s3cret-db-pass@127.0.0.1:5432/learngraph",
}


def _settings(monkeypatch: pytest.MonkeyPatch, **values: str) -> Settings:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        return get_settings()
    finally:
        get_settings.cache_clear()


def test_every_secret_the_repository_ships_is_known_as_an_example() -> None:
    shipped = re.findall(
        r"(?:PASSWORD|SECRET|NEO4J_AUTH)[:=][ \t]*(?:neo4j/)?(\S+)",
        (ROOT / ".env.example").read_text() + (ROOT / "docker-compose.yml").read_text(),
    )
    database_passwords = re.findall(
        r"postgresql\+psycopg://\w+:([^@]+)@", (ROOT / ".env.example").read_text()
    )
    assert shipped
    assert database_passwords
    assert set(shipped) | set(database_passwords) <= EXAMPLE_SECRETS


@pytest.mark.parametrize(
    ("setting", "example"),
    [
        ("TOKEN_SECRET", "change-me-in-production-0123456789abcdef"),
        ("LG_ADMIN_PASSWORD", "admin-password"),
        ("NEO4J_PASSWORD", "learngraph-dev"),
        ("DATABASE_URL", "postgresql+psycopg://learngraph:learngraph@127.0.0.1:5432/learngraph"),
    ],
)
def test_production_refuses_each_example_secret_naming_its_setting(
    monkeypatch: pytest.MonkeyPatch, setting: str, example: str
) -> None:
    with pytest.raises(SettingsError, match=rf"^setting {setting}: .*LG_ENV=production"):
        _settings(monkeypatch, **{**STRONG, setting: example})


def test_development_accepts_the_example_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, LG_ENV="development")
    assert settings.graphiql is settings.introspection is settings.suggestions is True


def test_production_closes_graphiql_introspection_and_suggestions_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = _settings(monkeypatch, **STRONG)
    assert (settings.graphiql, settings.introspection, settings.suggestions) == (False,) * 3
    opened = _settings(monkeypatch, **STRONG, GRAPHIQL="true", INTROSPECTION="true")
    assert (opened.graphiql, opened.introspection, opened.suggestions) == (True, True, False)


def test_suggestions_stay_off_while_introspection_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, INTROSPECTION="false", SUGGESTIONS="true")
    assert settings.suggestions is False


def test_the_server_command_refuses_to_start_with_an_example_secret(tmp_path: Path) -> None:
    env = {**os.environ, **STRONG, "TOKEN_SECRET": "change-me-in-production-0123456789abcdef"}
    done = subprocess.run(
        [str(BIN / "learngraph"), "serve", "--port", "1"],
        env=env,
        cwd=tmp_path,  # no .env here
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "setting TOKEN_SECRET:" in done.stderr


async def test_production_serves_no_graphiql_and_answers_no_introspection(
    api_with: ApiWith,
) -> None:
    async with api_with(**PRODUCTION) as api:
        page = await api.client.get("/graphql", headers={"Accept": "text/html"})
        schema = await api.send("{ __schema { types { name } } }")
        typo = await api.send("{ mee { id } }")
        enum_typo = await api.send(
            "query($d: Difficulty!) { concepts(filter: {difficulty: $d}) { totalCount } }",
            {"d": "BEGINER"},
        )
    assert page.status_code == 404
    assert schema.get("data") is None
    assert schema["errors"]
    messages = [e["message"] for body in (schema, typo, enum_typo) for e in body["errors"]]
    assert not [message for message in messages if "Did you mean" in message], messages


async def test_development_still_suggests(api: Any) -> None:
    typo = await api.send("{ mee { id } }")
    assert "Did you mean" in typo["errors"][0]["message"]


async def test_metrics_in_production_need_the_metrics_token(api_with: ApiWith) -> None:
    async with api_with(**PRODUCTION) as api:
        closed = await api.client.get("/metrics")
    async with api_with(**PRODUCTION, metrics_token=SecretStr("scrape-me-please")) as api:
        anonymous = await api.client.get("/metrics")
        wrong = await api.client.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = await api.client.get(
            "/metrics", headers={"Authorization": "Bearer scrape-me-please"}
        )
    assert closed.status_code == 404
    assert anonymous.status_code == wrong.status_code == 401
    assert right.status_code == 200
    assert "learngraph_graphql_request_seconds" in right.text
