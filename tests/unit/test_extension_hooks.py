"""Extension hooks found per class run exactly as strawberry's own context managers run them."""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.extensions.context import ExtensionContextManagerBase
from strawberry.extensions.runner import SchemaExtensionsRunner

from schema.extensions.hooks import ClassHooksRunner, hook_of
from schema.extensions.masking import MaskUnexpectedErrors
from schema.schema import build_schema

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

PHASES = ("operation", "parsing", "validation", "executing")

# The strawberry code ClassHooksRunner (and MaskUnexpectedErrors._process_result) stand in for.
# When strawberry changes it, these digests fail: compare schema/extensions/hooks.py and
# masking.py with the new code, then record the new digests.
PINNED = {
    "ExtensionContextManagerBase.__init__": "00f00d1e57c37cb8",
    "ExtensionContextManagerBase.get_hook": "2f0897ead1abdc4a",
    "ExtensionContextManagerBase.from_callable": "9dab43ed5b9b79e6",
    "SchemaExtensionsRunner.operation": "dd42fae9326ecc07",
    "SchemaExtensionsRunner.parsing": "b8605ffb6ff8b4cf",
    "SchemaExtensionsRunner.validation": "1b824d77ebba8b8a",
    "SchemaExtensionsRunner.executing": "5aaed1634162e822",
    "SchemaExtensionsRunner.get_extensions_results": "bdc106aa3f99fc6b",
    "MaskErrors._process_result": "c0674de60b912e68",
}
OWNERS = {
    "ExtensionContextManagerBase": ExtensionContextManagerBase,
    "SchemaExtensionsRunner": SchemaExtensionsRunner,
    "MaskErrors": MaskErrors,
}


def _digest(qualified: str) -> str:
    owner, _, name = qualified.partition(".")
    source = inspect.getsource(getattr(OWNERS[owner], name))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


class BoomError(Exception):
    pass


def _extensions(log: list[str]) -> list[SchemaExtension]:
    class Generators(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            log.append("generator operation enter")
            try:
                yield
            finally:
                log.append("generator operation exit")

        def on_execute(self) -> Iterator[None]:
            log.append("generator execute enter")
            yield
            log.append("generator execute exit")

    class AsyncGenerators(SchemaExtension):
        async def on_operation(self) -> AsyncIterator[None]:
            log.append("async generator operation enter")
            try:
                yield
            except BoomError:
                log.append("async generator operation saw the error")
                raise
            log.append("async generator operation exit")

    class Plain(SchemaExtension):
        def on_parse(self) -> None:  # type: ignore[override]
            log.append("plain parse")

    class Coroutines(SchemaExtension):
        async def on_validate(self) -> None:  # type: ignore[override]
            log.append("coroutine validate")

    class Nothing(SchemaExtension):
        pass

    return [Generators(), Nothing(), AsyncGenerators(), Plain(), Coroutines()]


async def _run(runner_type: type[SchemaExtensionsRunner], phase: str, *, fail: bool) -> list[str]:
    log: list[str] = []
    runner = runner_type(execution_context=None, extensions=_extensions(log))  # type: ignore[arg-type]
    manager = getattr(runner, phase)()
    log.append(f"hooks {[(type(h.extension).__name__, h.is_async) for h in manager.hooks]}")
    try:
        async with manager:
            log.append("inside")
            if fail:
                raise BoomError
    except BoomError:
        log.append("raised")
    return log


@pytest.mark.parametrize("fail", [False, True])
@pytest.mark.parametrize("phase", PHASES)
async def test_each_phase_runs_the_same_hooks_in_the_same_order_as_strawberry(
    phase: str, fail: bool
) -> None:
    # given the same extensions of every kind of hook, when a phase runs (and fails) inside
    # strawberry's runner and ours, then the hooks chosen and what they did are the same
    theirs = await _run(SchemaExtensionsRunner, phase, fail=fail)
    ours = await _run(ClassHooksRunner, phase, fail=fail)
    assert ours == theirs
    assert "inside" in ours


def test_a_hook_is_found_once_per_class_and_phase() -> None:
    log: list[str] = []
    first, second = _extensions(log)[0], _extensions(log)[0]
    found = hook_of(type(first), "on_operation")
    assert found is not None
    assert hook_of(type(first), "on_operation") is found
    assert hook_of(type(second), "on_parse") is None  # left as SchemaExtension has it


async def test_the_schema_runs_its_extensions_with_the_class_hooks_runner() -> None:
    schema = build_schema()
    result = await schema.execute("{ __typename }")
    assert result.data == {"__typename": "Query"}
    assert type(schema.create_extensions_runner(None, [])) is ClassHooksRunner  # type: ignore[arg-type]


@pytest.mark.parametrize("qualified", sorted(PINNED))
def test_the_strawberry_code_it_mirrors_is_the_code_it_was_checked_against(qualified: str) -> None:
    assert _digest(qualified) == PINNED[qualified], (
        f"strawberry's {qualified} changed: check schema/extensions/hooks.py against it"
    )


def test_the_hooks_of_a_phase_are_bound_to_each_requests_own_extensions() -> None:
    # given two requests' extensions of the same classes
    first, second = _extensions([]), _extensions([])
    # when each request's operation phase is set up, then each binds its own instances
    for extensions in (first, second):
        hooks = ClassHooksRunner(execution_context=None, extensions=extensions).operation().hooks  # type: ignore[arg-type]
        assert [hook.extension for hook in hooks] == [extensions[0], extensions[2]]


class Reporting(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        return {"reported": 1, "shared": "sync"}


class ReportingLater(SchemaExtension):
    async def get_results(self) -> dict[str, Any]:
        return {"later": 2, "shared": "async"}


@dataclass
class Context:
    extensions_results: dict[str, Any]


async def test_the_extensions_results_are_gathered_as_strawberry_gathers_them() -> None:
    extensions = [Reporting(), *_extensions([]), ReportingLater()]
    context = Context({"context": 3, "shared": "context"})
    gathered = []
    for runner_type in (SchemaExtensionsRunner, ClassHooksRunner):
        runner = runner_type(execution_context=None, extensions=extensions)  # type: ignore[arg-type]
        gathered.append(await runner.get_extensions_results(context))  # type: ignore[arg-type]
    assert (
        gathered[0] == gathered[1] == {"reported": 1, "later": 2, "context": 3, "shared": "context"}
    )
    assert list(gathered[0]) == list(gathered[1])


def test_unexpected_errors_are_masked_and_deliberate_ones_kept() -> None:
    # given a result with an unexpected failure and a deliberate field error
    unexpected = GraphQLError("boom at 10.0.0.7", path=["a"], original_error=KeyError("secret"))
    deliberate = GraphQLError("not found", path=["b"], original_error=GraphQLError("not found"))
    result = ExecutionResult(data={"a": None, "b": None}, errors=[unexpected, deliberate])
    # when the masking extension processes it
    MaskUnexpectedErrors()._process_result(result)
    # then only the unexpected one is masked, keeping its path
    assert [error.message for error in result.errors or []] == [
        "Internal server error",
        "not found",
    ]
    assert (result.errors or [])[0].path == ["a"]
    nothing = ExecutionResult(data={"a": 1}, errors=None)
    MaskUnexpectedErrors()._process_result(nothing)
    assert nothing.errors is None
