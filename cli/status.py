"""`learngraph status` (is all well?) and `learngraph worker-health` (a container's check)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import click

from cli.render import as_json, console, table
from cli.settings import load_settings

if TYPE_CHECKING:
    from rich.console import Console

    from cli.status_report import StatusReport

__all__ = ["status_command", "worker_health_command"]

EXIT_OK, EXIT_FAILURE, EXIT_DRIFT = 0, 1, 3
RUN_FIGURES = (
    "status",
    "started_at",
    "finished_at",
    "checked",
    "missing_in_graph",
    "orphaned_in_graph",
    "stale",
    "conflicts",
    "repaired",
)


def exit_code(report: StatusReport) -> int:
    if report.problems:
        return EXIT_FAILURE
    return EXIT_DRIFT if report.drift else EXIT_OK


def _report_json(report: StatusReport) -> str:
    return as_json(
        {
            "ok": exit_code(report) == EXIT_OK,
            "stores": report.stores,
            "entities": [{**vars(row), "differs": row.differs} for row in report.entities],
            "outbox": report.outbox,
            "last_reconciliation": report.last_reconciliation,
            "workers": report.workers,
            "problems": report.problems,
            "drift": report.drift,
        }
    )


def _ago(epoch: float) -> str:
    return f"{max(0.0, time.time() - epoch):.0f} s ago"


def _print_outbox(out: Console, report: StatusReport) -> None:
    figures = report.outbox
    if figures is None:
        return
    applied = figures.last_applied_at.isoformat() if figures.last_applied_at else "never"
    rows: list[tuple[str, Any]] = list(figures.counts.items())
    rows += [("lag", f"{figures.lag_seconds:.1f} s"), ("last applied at", applied)]
    out.print(table("outbox", ("status", "events"), rows))


def _print_reconciliation(out: Console, report: StatusReport) -> None:
    run = report.last_reconciliation
    if run is None:
        out.print("last reconciliation: never\n")
        return
    names = RUN_FIGURES
    out.print(
        table(
            f"last reconciliation {run['id']}",
            ("figure", "value"),
            [(name, run[name] if run[name] is not None else "-") for name in names],
        )
    )


def _print_report(out: Console, report: StatusReport) -> None:
    out.print(table("stores", ("store", "state"), list(report.stores.items())))
    if report.entities:
        rows = [
            (
                row.entity_type,
                row.postgresql,
                "-" if row.neo4j is None else row.neo4j,
                "differs" if row.differs else "",
            )
            for row in report.entities
        ]
        out.print(table("entities", ("type", "postgresql", "neo4j", ""), rows))
    _print_outbox(out, report)
    _print_reconciliation(out, report)
    beats = [
        (b.host, b.pid, b.threads, _ago(b.started_at), _ago(b.beat_at)) for b in report.workers
    ]
    out.print(table("workers", ("host", "pid", "threads", "started", "last beat"), beats))
    for line in report.problems + report.drift:
        out.print(f"[bold red]problem:[/] {line}")
    if exit_code(report) == EXIT_OK:
        out.print("[bold green]all is well[/]")


@click.command("status")
@click.option("--json", "as_json_output", is_flag=True, help="Print the report as JSON.")
def status_command(as_json_output: bool) -> None:
    """Are both stores reachable and in step? Counts side by side, outbox, runs, workers.

    Exits 0 when all is well, 3 when the stores' counts differ with nothing left to sync,
    1 otherwise (a store down, dead events, lag over a minute, no worker, a failed run).
    """
    from cli.status_report import read_status

    report = asyncio.run(read_status(load_settings()))
    if as_json_output:
        click.echo(_report_json(report))
    else:
        _print_report(console(), report)
    raise SystemExit(exit_code(report))


@click.command("worker-health")
def worker_health_command() -> None:
    """Exit 0 when a worker on this host has beaten recently (for container health checks)."""
    import socket

    from tasks.broker import redis_client
    from tasks.heartbeat import BEAT_TTL_SECONDS, read_beats

    host = socket.gethostname()
    client = redis_client(load_settings().redis_url)
    try:
        mine = [beat for beat in read_beats(client) if beat.host == host]
    finally:
        client.close()
    if not mine:
        raise click.ClickException(f"no worker heartbeat from {host} in {BEAT_TTL_SECONDS} s")
    click.echo(
        f"{len(mine)} worker process(es) on {host}, last beat {_ago(max(b.beat_at for b in mine))}"
    )
