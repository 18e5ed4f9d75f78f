"""`learngraph reconcile`: compare PostgreSQL with Neo4j, repair, and print a summary table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from config.settings import Settings, SettingsError, get_settings
from persistence.reconcile.choice import UnknownEntityTypesError, chosen_types
from persistence.reconcile.engine import Progress, count_source, reconcile
from persistence.reconcile.tally import RunSummary, TypeCounts
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    from neo4j import Driver
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["reconcile_command", "summary_table"]

COLUMNS = ("type", "checked", "missing", "orphaned", "stale", "conflicts", "repaired")


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def _cells(name: str, counts: TypeCounts) -> list[str]:
    numbers = (
        counts.checked,
        counts.missing,
        counts.orphaned,
        counts.stale,
        counts.conflicts,
        counts.repaired,
    )
    return [name, *map(str, numbers)]


def summary_table(summary: RunSummary) -> str:
    """One row per entity type and a total row, columns aligned."""
    rows = [list(COLUMNS)]
    rows += [_cells(name, counts) for name, counts in summary.by_type.items()]
    rows.append(_cells("total", summary.totals))
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.insert(-1, lines[1])
    return "\n".join(lines)


@contextmanager
def _stores(settings: Settings) -> Iterator[tuple[sessionmaker[Session], Driver]]:
    from persistence.graph.driver import make_sync_driver
    from persistence.sql.database import make_sync_engine, sync_session_factory

    engine = make_sync_engine(settings.database_url)
    driver = make_sync_driver(settings)
    try:
        yield sync_session_factory(engine), driver
    finally:
        driver.close()
        engine.dispose()


@click.command("reconcile")
@click.option(
    "--type",
    "entity_types",
    multiple=True,
    metavar="TYPE",
    help="Limit the run to an entity type (repeatable), e.g. concept, concept_relation.",
)
@click.option("--id", "entity_ids", multiple=True, metavar="ID", help="Limit to these keys.")
@click.option("--repair/--no-repair", default=True, show_default=True, help="Off: report only.")
def reconcile_command(
    entity_types: tuple[str, ...], entity_ids: tuple[str, ...], repair: bool
) -> None:
    """Compare PostgreSQL and Neo4j entity by entity, repair what differs, record the run."""
    settings = _settings()
    registry = default_registry()
    types = list(entity_types) or None
    ids = list(entity_ids) or None
    try:
        chosen_types(registry, types)
    except UnknownEntityTypesError as error:
        raise click.BadParameter(str(error), param_hint="--type") from None
    with _stores(settings) as (sessions, driver):
        total = count_source(sessions, registry=registry, entity_types=types, entity_ids=ids)
        with click.progressbar(length=max(total, 1), label="reconciling", show_pos=True) as bar:
            done = 0

            def advance(progress: Progress) -> None:
                nonlocal done
                bar.label = f"reconciling {progress.entity_type}"
                step = min(progress.checked, total) - done
                if step > 0:
                    bar.update(step)
                    done += step

            summary = reconcile(
                sessions,
                driver,
                settings=settings,
                registry=registry,
                entity_types=types,
                entity_ids=ids,
                repair=repair,
                on_progress=advance,
            )
            bar.update(max(total, 1) - done)
    click.echo(summary_table(summary))
    mode = "repaired" if repair else "report only"
    click.echo(f"run {summary.run_id}: {summary.status} ({mode}) in {summary.seconds:.1f}s")
    for message in summary.errors:
        click.echo(f"error: {message}", err=True)
    if summary.status != "completed":
        raise SystemExit(1)
