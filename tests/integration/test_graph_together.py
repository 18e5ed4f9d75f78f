"""The graph reads of one operation that fall due together share one session and transaction;
each still gets its own answer, and a failing one fails alone."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from resolvers.loaders.federated import graph_read
from resolvers.loaders.graph_errors import GraphReadError
from resolvers.loaders.graph_together import graph_reads_together
from schema.app import create_app

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from config.settings import Settings
    from persistence.graph.reading import GraphReader
    from resolvers.resources import ApiResources


@pytest.fixture
async def resources(settings: Settings) -> AsyncIterator[ApiResources]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app.state.resources


async def echo(tx: GraphReader, value: int) -> int:
    record = await (await tx.run("RETURN $value AS value", value=value)).single(strict=True)
    return int(record["value"])


async def broken(tx: GraphReader) -> int:
    await (await tx.run("RETURN missing_variable AS value")).consume()
    return 0


def count_sessions(resources: ApiResources, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the sessions the API's driver opens from here on."""
    opened: list[int] = []
    session = resources.driver.session

    def counted(*args: Any, **kwargs: Any) -> Any:
        opened.append(1)
        return session(*args, **kwargs)

    monkeypatch.setattr(resources.driver, "session", counted)
    return opened


async def test_reads_due_together_share_one_session_and_each_gets_its_own_answer(
    resources: ApiResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = count_sessions(resources, monkeypatch)
    # when three reads fall due in the same turn of one operation
    with graph_reads_together():
        answers = await asyncio.gather(*(graph_read(resources, echo, n) for n in (1, 2, 3)))
    # then one session ran them, each answered its own
    assert answers == [1, 2, 3]
    assert len(opened) == 1


async def test_outside_an_operation_each_read_has_its_own_session(
    resources: ApiResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = count_sessions(resources, monkeypatch)
    answers = await asyncio.gather(*(graph_read(resources, echo, n) for n in (1, 2)))
    assert answers == [1, 2]
    assert len(opened) == 2


async def test_a_failing_read_among_shared_ones_fails_alone(resources: ApiResources) -> None:
    # when a read Neo4j refuses falls due with a good one
    with graph_reads_together():
        good, bad = await asyncio.gather(
            graph_read(resources, echo, 7),
            graph_read(resources, broken),
            return_exceptions=True,
        )
    # then the good one answers and only the refused one fails, with a typed field error
    assert good == 7
    assert isinstance(bad, GraphReadError)
