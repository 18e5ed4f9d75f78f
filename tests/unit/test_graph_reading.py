"""Graph reads begin their transaction with their first query through a switch of the driver's
session; the pinned driver must still have it, or every read silently costs a round trip more."""

from __future__ import annotations

import asyncio
import contextlib

from neo4j import AsyncGraphDatabase

from persistence.graph.reading import _pipelined_begin


def test_the_pinned_driver_has_the_pipelined_begin_switch() -> None:
    async def check() -> None:
        driver = AsyncGraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "unused"))
        try:
            session = driver.session()  # no connection is opened before a query
            switch = _pipelined_begin(session)
            assert not isinstance(switch, contextlib.nullcontext)
            with switch:
                assert bool(session._pipelined_begin)
            assert not bool(session._pipelined_begin)
            await session.close()
        finally:
            await driver.close()

    asyncio.run(check())
