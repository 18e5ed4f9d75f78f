"""The command line answers --help, -h and --version from click alone, and names failures."""

from __future__ import annotations

import json
import subprocess
import sys

import click
from click.testing import CliRunner

from cli.failures import failure_line
from cli.main import cli

# Modules that take a noticeable time to import; none of them may load for --help.
HEAVY = {
    "alembic", "dramatiq", "neo4j", "opentelemetry", "prometheus_client", "psycopg",
    "pydantic", "pydantic_settings", "redis", "rich", "sqlalchemy", "starlette",
    "strawberry", "structlog", "uvicorn",
}  # fmt: skip

HELP_EVERYWHERE = """
import json, sys
from cli.main import cli
import click

def paths(command, prefix):
    yield prefix
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from paths(sub, [*prefix, name])

for path in list(paths(cli, [])):
    for flag in ("--help", "-h"):
        try:
            cli.main([*path, flag], prog_name="learngraph")
        except SystemExit as done:
            assert done.code == 0, (path, flag, done.code)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def command_paths(command: click.Command, prefix: list[str]) -> list[list[str]]:
    found = [prefix]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += command_paths(sub, [*prefix, name])
    return found


def test_every_help_loads_no_heavy_module() -> None:
    # when a fresh interpreter prints every command's help, with --help and with -h
    done = subprocess.run(
        [sys.executable, "-c", HELP_EVERYWHERE], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    # then no driver, ORM, web or telemetry library was imported
    assert loaded & HEAVY == set()


def test_every_command_has_help_with_both_flags() -> None:
    runner = CliRunner()
    for path in command_paths(cli, []):
        for flag in ("--help", "-h"):
            result = runner.invoke(cli, [*path, flag])
            assert result.exit_code == 0, (path, flag, result.output)
            assert "Usage: " in result.output


def test_help_lists_the_exit_codes() -> None:
    output = CliRunner().invoke(cli, ["--help"]).output
    for line in ("0  all is well", "1  failure", "2  usage", "3  drift"):
        assert line in output


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(cli, ["--version"])
    assert (result.exit_code, result.output) == (
        0,
        f"learngraph, version {version('learngraph')}\n",
    )


def test_a_usage_error_exits_2() -> None:
    assert CliRunner().invoke(cli, ["no-such-command"]).exit_code == 2
    assert CliRunner().invoke(cli, ["sync", "status", "--interval", "0"]).exit_code == 2


class FakeDriverError(Exception):
    pass


FakeDriverError.__module__ = "neo4j.exceptions"


def test_a_failure_from_a_store_driver_is_named_by_its_store() -> None:
    # given an error raised by a driver, wrapped in another one
    try:
        try:
            raise FakeDriverError("Couldn't connect to 127.0.0.1:9\nmore detail")
        except FakeDriverError as error:
            raise RuntimeError("wrapped") from error
    except RuntimeError as wrapped:
        line = failure_line(wrapped)
    # then the line names Neo4j and keeps to the wrapper's first line
    assert line.startswith("Neo4j")
    assert "\n" not in line


def test_an_unexpected_failure_is_one_line_naming_its_type() -> None:
    assert failure_line(ValueError("bad\nvalue")) == "unexpected ValueError: bad"
