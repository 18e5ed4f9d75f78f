"""`learngraph sync status` and `learngraph sync retry-dead`: the operator's sync tools."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from cli.render import as_json, console, table
from cli.settings import load_settings

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

    from rich.console import Group

    from config.settings import Settings
    from persistence.sync.admin import SyncFigures

__all__ = ["status_tables", "sync"]


# The stores and the broker are imported on use: `learngraph --help` needs none of them.
async def _status(settings: Settings) -> SyncFigures:
    from persistence.graph.driver import make_async_driver
    from persistence.sql.database import async_session_factory, make_async_engine
    from persistence.sync.admin import read_sync_status

    engine = make_async_engine(settings.database_url, pool_size=2)
    driver = make_async_driver(settings)
    try:
        return await read_sync_status(async_session_factory(engine), driver)
    finally:
        await driver.close()
        await engine.dispose()


async def _retry(settings: Settings, ids: list[uuid.UUID] | None) -> int:
    from persistence.sql.database import async_session_factory, make_async_engine
    from persistence.sync.admin import retry_events
    from tasks.publish import OutboxPublisher

    engine = make_async_engine(settings.database_url, pool_size=2)
    sessions = async_session_factory(engine)
    try:
        return len((await retry_events(sessions, OutboxPublisher(sessions), ids)).ids)
    finally:
        await engine.dispose()


def status_tables(figures: SyncFigures, *, caption: str | None = None) -> Group:
    """Totals, then open work per entity type."""
    from rich.console import Group

    applied = figures.last_applied_at.isoformat() if figures.last_applied_at else "never"
    rows: list[tuple[str, object]] = list(figures.counts.items())
    rows += [
        ("oldest open age", f"{figures.oldest_open_age_seconds:.1f} s"),
        ("lag", f"{figures.lag_seconds:.1f} s"),
        ("last applied at", applied),
        ("graph available", "yes" if figures.graph_available else "NO"),
    ]
    per_type = [(f.entity_type, f.pending, f.failed, f.dead) for f in figures.by_entity_type]
    return Group(
        *([caption] if caption else []),
        table(None, ("outbox", ""), rows),
        table(None, ("entity type", "pending", "failed", "dead"), per_type),
    )


def _refreshes(settings: Settings, interval: float, stop: threading.Event) -> Iterator[Group]:
    while not stop.is_set():
        figures = asyncio.run(_status(settings))
        yield status_tables(figures, caption=f"sync status at {time.strftime('%H:%M:%S')}")
        stop.wait(interval)


@contextmanager
def _ctrl_c_stops() -> Iterator[threading.Event]:
    """Ctrl-C sets the event: the watch stops after the refresh under way. An exception raised
    wherever the signal lands can be lost (in a finalizer, or as the cancellation of a refresh's
    event loop that a library absorbs), and the watch then went on; a second Ctrl-C still
    interrupts at once."""
    stop = threading.Event()

    def on_ctrl_c(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _watch(settings: Settings, interval: float) -> None:
    """Redraw in place on a terminal; in a pipe, print each refresh below the last."""
    from rich.live import Live

    out = console()
    with _ctrl_c_stops() as stop:
        try:
            if not out.is_terminal:
                for tables in _refreshes(settings, interval, stop):
                    out.print(tables)
                    out.file.flush()
                return
            with Live(console=out, auto_refresh=False) as live:
                for tables in _refreshes(settings, interval, stop):
                    live.update(tables, refresh=True)
        except KeyboardInterrupt:
            return


@click.group()
def sync() -> None:
    """Watch the graph sync and retry dead events."""


@sync.command()
@click.option("--json", "as_json_output", is_flag=True, help="Print the figures as JSON.")
@click.option("--watch", is_flag=True, help="Refresh until interrupted (Ctrl-C).")
@click.option(
    "--interval", default=2.0, show_default=True, type=click.FloatRange(min=0.1), help="--watch"
)
def status(as_json_output: bool, watch: bool, interval: float) -> None:
    """Print outbox counts, lag, last apply and graph availability."""
    if watch and as_json_output:
        raise click.UsageError("--watch and --json do not go together")
    settings = load_settings()
    if watch:
        _watch(settings, interval)
        return
    figures = asyncio.run(_status(settings))
    if as_json_output:
        click.echo(as_json(figures))
    else:
        console().print(status_tables(figures))


def _parse_ids(raw_ids: tuple[str, ...]) -> list[uuid.UUID] | None:
    try:
        return [uuid.UUID(raw) for raw in raw_ids] if raw_ids else None
    except ValueError as error:
        raise click.BadParameter(f"not an event id: {error}", param_hint="--id") from None


@sync.command("retry-dead")
@click.option("--id", "raw_ids", multiple=True, help="Retry only this failed or dead event.")
def retry_dead(raw_ids: tuple[str, ...]) -> None:
    """Reset dead events (or the given failed/dead ones) to pending and enqueue them."""
    ids = _parse_ids(raw_ids)
    retried = asyncio.run(_retry(load_settings(), ids))
    click.echo(f"retried {retried} event{'s' if retried != 1 else ''}")
