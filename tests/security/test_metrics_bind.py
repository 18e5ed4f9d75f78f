"""METRICS_BIND: /metrics on an address of its own, never on the public port."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import httpx
import pytest
from pydantic import SecretStr, ValidationError

from config.settings import Settings
from ops.processes import free_port
from schema.metrics_bind import MetricsBindError
from tests.security.conftest import PRODUCTION

if TYPE_CHECKING:
    from tests.security.conftest import ApiWith


async def _scrape(port: int, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(f"http://127.0.0.1:{port}/metrics", headers=headers)


async def test_metrics_move_to_their_own_address_and_leave_the_public_port(
    api_with: ApiWith,
) -> None:
    # given an API whose metrics are bound to a port of their own, after one operation
    port = free_port()
    async with api_with(metrics_bind=f"127.0.0.1:{port}") as api:
        await api.data("{ __typename }")
        # when Prometheus scrapes that port, and someone asks the public port
        scraped = await _scrape(port)
        public = await api.client.get("/metrics")
    # then the figures are there, and the public port has no /metrics
    assert scraped.status_code == 200
    assert 'learngraph_graphql_request_seconds_count{operation_type="query"} 1.0' in scraped.text
    assert public.status_code == 404
    # and once the API stopped, nothing listens there any more
    with pytest.raises(httpx.ConnectError):
        await _scrape(port)


async def test_in_production_the_own_address_serves_without_a_token_and_honours_one(
    api_with: ApiWith,
) -> None:
    port = free_port()
    async with api_with(**PRODUCTION, metrics_bind=f"127.0.0.1:{port}"):
        open_scrape = await _scrape(port)
    token = SecretStr("scrape-me-please")
    async with api_with(**PRODUCTION, metrics_bind=f"127.0.0.1:{port}", metrics_token=token):
        anonymous = await _scrape(port)
        right = await _scrape(port, {"Authorization": "Bearer scrape-me-please"})
    assert open_scrape.status_code == 200
    assert anonymous.status_code == 401
    assert right.status_code == 200


async def test_several_api_processes_share_the_address(api_with: ApiWith) -> None:
    # given two APIs (as `serve --workers 2` runs) bound to the same metrics address
    port = free_port()
    async with (
        api_with(metrics_bind=f"127.0.0.1:{port}"),
        api_with(metrics_bind=f"127.0.0.1:{port}"),
    ):
        # then both started and a scrape is answered
        scraped = await _scrape(port)
    assert scraped.status_code == 200


async def test_an_address_taken_by_another_program_refuses_the_start(api_with: ApiWith) -> None:
    # given a listener that is not the API's on the port
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        # when the API starts with that address, then it refuses, naming the setting
        with pytest.raises(
            MetricsBindError, match=f"METRICS_BIND: cannot listen on 127.0.0.1:{port}"
        ):
            async with api_with(metrics_bind=f"127.0.0.1:{port}"):
                pass


@pytest.mark.parametrize("value", ["9100", "localhost", "127.0.0.1:", ":9100", "host:99999"])
def test_a_metrics_bind_that_is_not_host_and_port_is_refused(
    settings: Settings, value: str
) -> None:
    with pytest.raises(ValidationError, match="expected host:port"):
        Settings.model_validate({**settings.model_dump(), "metrics_bind": value})


def test_an_ipv6_address_is_read_without_its_brackets(settings: Settings) -> None:
    chosen = Settings.model_validate({**settings.model_dump(), "metrics_bind": "[::1]:9100"})
    assert chosen.metrics_address == ("::1", 9100)
