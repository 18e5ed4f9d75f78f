"""`learngraph reconcile`: compare PostgreSQL with Neo4j, repair, and print a summary table.

Exit codes: 0 the graph matches (or was repaired), 1 the run failed, 2 usage, 3 drift found
and left alone (`--no-repair`).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from cli.render import console, table
from cli.settings import load_settings
from domain.reconciliation import ReconciliationStatus

if TYPE_CHECKING:
    from collections.abc import Iterator

    from neo4j import Driver
    from rich.progress import Progress as Bar
    from sqlalchemy.orm import Session, sessionmaker

    from config.settings import Settings
    from persistence.reconcile.engine import Progress
    from persistence.reconcile.tally import RunSummary, TypeCounts

__all__ = ["EXIT_DRIFT", "reconcile_command", "summary_table"]

EXIT_DRIFT = 3
COLUMNS = ("type", "checked", "missing", "orphaned", "stale", "conflicts", "repaired")


def _cells(name: str, counts: TypeCounts) -> tuple[object, ...]:
    numbers = (counts.missing, counts.orphaned, counts.stale, counts.conflicts, counts.repaired)
    return (name, counts.checked, *numbers)


def summary_table(summary: RunSummary) -> object:
    """One row per entity type and a total row."""
    rows = [_cells(name, counts) for name, counts in summary.by_type.items()]
    shown = table(None, COLUMNS, rows)
    shown.add_section()
    shown.add_row(*(str(cell) for cell in _cells("total", summary.totals)))
    return shown


def drift_found(summary: RunSummary) -> bool:
    totals = summary.totals
    return bool(totals.missing or totals.orphaned or totals.stale or totals.conflicts)


@contextmanager
def _stores(settings: Settings) -> Iterator[tuple[sessionmaker[Session], Driver]]:
    from persistence.graph.driver import make_sync_driver
    from persistence.sql.database import make_sync_engine, sync_session_factory

    engine = make_sync_engine(settings.database_url)
    driver = make_sync_driver(settings)
    try:
        # Fail fast, naming the store, instead of every batch retrying against it.
        with engine.connect():
            driver.verify_connectivity()
        yield sync_session_factory(engine), driver
    finally:
        driver.close()
        engine.dispose()


def _chosen(types: list[str] | None) -> None:
    from persistence.reconcile.choice import UnknownEntityTypesError, chosen_types
    from persistence.sync.registry import default_registry

    try:
        chosen_types(default_registry(), types)
    except UnknownEntityTypesError as error:
        raise click.BadParameter(str(error), param_hint="--type") from None


@contextmanager
def _progress_bar() -> Iterator[Bar]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console()) as bar:
        yield bar


def _run(
    settings: Settings, types: list[str] | None, ids: list[str] | None, repair: bool
) -> RunSummary:
    from persistence.reconcile.engine import count_source, reconcile

    with _stores(settings) as (sessions, driver), _progress_bar() as bar:
        total = count_source(sessions, entity_types=types, entity_ids=ids)
        task = bar.add_task("reconciling", total=max(total, 1))

        def advance(progress: Progress) -> None:
            bar.update(task, description=f"reconciling {progress.entity_type}")
            bar.update(task, completed=min(progress.checked, total))

        summary = reconcile(
            sessions,
            driver,
            settings=settings,
            entity_types=types,
            entity_ids=ids,
            repair=repair,
            on_progress=advance,
        )
        bar.update(task, description="reconciling", completed=max(total, 1))
    return summary


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
    """Compare PostgreSQL and Neo4j entity by entity, repair what differs, record the run.

    Exits 0 when the graph matches or was repaired, 1 when the run failed, 3 when
    --no-repair found drift.
    """
    settings = load_settings()
    types = list(entity_types) or None
    _chosen(types)
    summary = _run(settings, types, list(entity_ids) or None, repair)
    out = console()
    out.print(summary_table(summary))
    mode = "repaired" if repair else "report only"
    out.print(f"run {summary.run_id}: {summary.status} ({mode}) in {summary.seconds:.1f}s")
    for message in summary.errors:
        click.echo(f"error: {message}", err=True)
    if summary.status != ReconciliationStatus.COMPLETED:
        raise SystemExit(1)
    if not repair and drift_found(summary):
        raise SystemExit(EXIT_DRIFT)
