"""`learngraph sync status` and `learngraph sync retry-dead`: the operator's sync tools."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING

import click

from config.settings import Settings, SettingsError, get_settings
from domain.errors import UserErrors

if TYPE_CHECKING:
    from persistence.sync.admin import SyncFigures

__all__ = ["sync"]


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


# The stores and the broker are imported on use: `learngraph --help` needs no settings.
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


def status_lines(figures: SyncFigures) -> list[str]:
    """The figures as a small two-part table: totals, then open work per entity type."""
    applied = figures.last_applied_at.isoformat() if figures.last_applied_at else "never"
    rows = [(status, str(count)) for status, count in figures.counts.items()] + [
        ("oldest open age", f"{figures.oldest_open_age_seconds:.1f} s"),
        ("lag", f"{figures.lag_seconds:.1f} s"),
        ("last applied at", applied),
        ("graph available", "yes" if figures.graph_available else "NO"),
    ]
    lines = [f"{name:<18}{value}" for name, value in rows]
    if figures.by_entity_type:
        lines += ["", f"{'entity type':<20}{'pending':>8}{'failed':>8}{'dead':>8}"]
        lines += [
            f"{row.entity_type:<20}{row.pending:>8}{row.failed:>8}{row.dead:>8}"
            for row in figures.by_entity_type
        ]
    return lines


@click.group()
def sync() -> None:
    """Watch the graph sync and retry dead events."""


@sync.command()
def status() -> None:
    """Print outbox counts, lag, last apply and graph availability."""
    figures = asyncio.run(_status(_settings()))
    for line in status_lines(figures):
        click.echo(line)


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
    try:
        retried = asyncio.run(_retry(_settings(), ids))
    except UserErrors as failure:
        raise click.ClickException(str(failure)) from None
    click.echo(f"retried {retried} event{'s' if retried != 1 else ''}")
