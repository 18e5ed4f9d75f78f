"""`learngraph operations register <file.graphql>...`: trusted documents into the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from domain.trusted_documents import TrustedOperation

__all__ = ["operations"]

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _schema() -> GraphQLSchema:
    from graphql import build_schema

    from schema.sdl import sdl_text

    return build_schema(sdl_text())


def _read(path: Path) -> list[TrustedOperation]:
    from graphql import GraphQLError

    from domain.trusted_documents import DocumentError, split_operations

    try:
        return split_operations(path.read_text(encoding="utf-8"))
    except GraphQLError as error:
        raise click.ClickException(f"{path}: {error.message}") from None
    except DocumentError as error:
        raise click.ClickException(f"{path}: {error}") from None


def _problem(schema: GraphQLSchema, operation: TrustedOperation) -> str | None:
    from graphql import parse, validate

    errors = validate(schema, parse(operation.body))
    return "; ".join(error.message for error in errors) or None


def _check_names(found: list[tuple[Path, TrustedOperation]]) -> None:
    seen: dict[str, tuple[Path, str]] = {}
    for path, operation in found:
        first = seen.setdefault(operation.name, (path, operation.id))
        if first[1] != operation.id:
            raise click.ClickException(
                f"{path}: operation {operation.name} differs from the one in {first[0]}"
            )


def _valid(found: list[tuple[Path, TrustedOperation]], skip: bool) -> list[TrustedOperation]:
    schema = _schema()
    accepted = []
    for path, operation in found:
        problem = _problem(schema, operation)
        if problem is None:
            accepted.append(operation)
        elif skip:
            click.echo(f"skipped {operation.name} ({path}): {problem}", err=True)
        else:
            raise click.ClickException(f"{path}: operation {operation.name}: {problem}")
    return accepted


@click.group()
def operations() -> None:
    """Trusted documents: the operations PERSISTED_ONLY lets through."""


@operations.command()
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="the manifest file (default: OPERATIONS_MANIFEST)",
)
@click.option("--replace", is_flag=True, help="start the manifest afresh instead of adding to it")
@click.option("--skip-invalid", is_flag=True, help="leave out operations the schema rejects")
def register(
    files: tuple[Path, ...], manifest: Path | None, replace: bool, skip_invalid: bool
) -> None:
    """Add every named operation of FILES to the manifest (by sha256 of its printed text).

    Each operation must validate against the schema; otherwise nothing is written (or, with
    --skip-invalid, the others are).
    """
    from cli.settings import load_settings
    from persistence.operations.manifest import Manifest, read_manifest, write_manifest

    target = manifest or load_settings().operations_manifest
    found = [(path, operation) for path in files for operation in _read(path)]
    _check_names(found)
    accepted = _valid(found, skip_invalid)
    before = Manifest() if replace else read_manifest(target)
    after = before.with_operations(accepted)
    write_manifest(target, after)
    added = len(after.operations) - len(before.operations)
    click.echo(f"{len(accepted)} operations registered ({added} new) in {target}")
