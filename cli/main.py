"""The learngraph command line.

Every command imports what it needs inside its body, so `learngraph --help` (and each command's
`--help`) loads click and little else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cli.failures import LearngraphGroup
from cli.operations import operations
from cli.reconcile import reconcile_command
from cli.settings import load_settings
from cli.status import status_command, worker_health_command
from cli.sync import sync

__all__ = ["cli", "main"]

EXIT_CODES = """\b
Exit codes:
  0  all is well
  1  failure: a store down or misconfigured, a setting wrong, a run failed
  2  usage: an unknown command, option or value
  3  drift: PostgreSQL and Neo4j differ (reconcile --no-repair, status)
"""


# How long a new API process may take to answer its supervisor: uvicorn's 5 s default kills
# and restarts processes over and over on a busy machine while they are still importing.
WORKER_START_SECONDS = 60


@click.group(
    cls=LearngraphGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES,
)
@click.version_option(package_name="learngraph", prog_name="learngraph")
def cli() -> None:
    """Operate learngraph: the API, sync workers, migrations and the graph sync."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help="API processes  [default: the number of CPUs]",
)
def serve(host: str, port: int, workers: int | None) -> None:
    """Run the API (GraphiQL at /graphql) after waiting for the stores."""
    from cli.serving import available_cpus, run_api, shared_metrics
    from cli.waiting import wait_for_stores

    settings = load_settings()
    wait_for_stores(settings)
    processes = workers or available_cpus()
    with shared_metrics(processes):
        run_api(
            "schema.asgi:app",
            host=host,
            port=port,
            workers=processes,
            log_level="info",
            ws_max_size=settings.max_body_bytes,  # a WebSocket message is capped as a body is
            # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default: any local
            # caller could pick its address, and so its sign-in throttling window
            proxy_headers=bool(settings.forwarded_allow_ips),
            forwarded_allow_ips=settings.forwarded_allow_ips or None,
            timeout_worker_healthcheck=WORKER_START_SECONDS,
        )


@cli.command()
@click.option("--processes", default=1, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int)
def worker(processes: int, threads: int) -> None:
    """Run sync workers on the Redis broker (scale out by running more)."""
    from cli.waiting import wait_for_stores

    wait_for_stores(load_settings())
    from cli.worker_command import worker_args, worker_env

    args = worker_args(Path(sys.executable).parent, processes=processes, threads=threads)
    os.environ.update(worker_env(threads=threads))
    os.execv(args[0], args)  # noqa: S606  # replace this process with the worker


@cli.command()
def migrate() -> None:
    """Apply SQL migrations, create graph constraints and the bootstrap admin."""
    from cli.setup import migrate_all

    migrate_all(load_settings(), echo=click.echo)


@cli.command()
def seed() -> None:
    """Load the demo data (idempotent)."""
    from cli.setup import seed_demo

    seed_demo(load_settings(), echo=click.echo)


@cli.command("export-schema")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_schema(output: Path | None) -> None:
    """Print the GraphQL SDL, or write it to a file."""
    from schema.sdl import sdl_text

    text = sdl_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}")


cli.add_command(status_command)
cli.add_command(sync)
cli.add_command(operations)
cli.add_command(reconcile_command)
cli.add_command(worker_health_command)


def main() -> None:
    cli(prog_name="learngraph", obj={"configure_logging": True})
