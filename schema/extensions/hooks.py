"""Extension hooks found once per extension class instead of once per request.

strawberry's context managers look up every extension's hook on every operation: four phases
times each extension, an `inspect` check per hook and a `contextlib.contextmanager` wrapper (with
its `functools.update_wrapper`) made anew for each bound method. With fourteen extensions that
was a tenth of what `{ __typename }` cost. What a hook is depends only on the extension's class,
so it is found once per class and phase, and which of a schema's extensions have a hook for a
phase once per phase; each request only binds them to its own extension instances. The hooks run exactly as strawberry runs them (same order, same sync/async handling:
`tests/unit/test_extension_hooks.py` compares both and pins the strawberry code this mirrors).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import weakref
from asyncio import iscoroutinefunction
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
    WrappedHook,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.utils.await_maybe import await_maybe

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from strawberry.types import ExecutionContext

__all__ = ["ClassHooksRunner", "hook_of"]

HookFactory = Callable[[SchemaExtension], Any]  # extension -> its (async) context manager


Found = tuple[HookFactory, bool] | None
_found: weakref.WeakKeyDictionary[type[SchemaExtension], dict[str, Found]] = (
    weakref.WeakKeyDictionary()
)


def hook_of(extension_type: type[SchemaExtension], phase: str) -> Found:
    """The context-manager factory of an extension class's hook for a phase and whether it is
    async; None when the class leaves the hook as SchemaExtension has it. Found once."""
    phases = _found.get(extension_type)
    if phases is None:
        phases = _found[extension_type] = {}
    if phase not in phases:
        phases[phase] = _find(extension_type, phase)
    return phases[phase]


def _find(extension_type: type[SchemaExtension], phase: str) -> Found:
    hook = getattr(extension_type, phase)
    if hook is getattr(SchemaExtension, phase):
        return None
    if inspect.isgeneratorfunction(hook):
        return contextlib.contextmanager(hook), False
    if inspect.isasyncgenfunction(hook):
        return contextlib.asynccontextmanager(hook), True
    if not callable(hook):
        raise ValueError(f"Hook {phase} on {extension_type} must be callable, received {hook!r}")
    return _around(hook)


def _around(hook: Callable[[SchemaExtension], Any]) -> tuple[HookFactory, bool]:
    """A hook that is a plain (or coroutine) function runs on entering its phase."""
    if iscoroutinefunction(hook):

        @contextlib.asynccontextmanager
        async def awaited(extension: SchemaExtension) -> AsyncIterator[None]:
            await hook(extension)
            yield

        return awaited, True

    @contextlib.contextmanager
    def called(extension: SchemaExtension) -> Iterator[None]:
        hook(extension)
        yield

    return called, False


Plan = tuple[tuple[int, HookFactory, bool], ...]  # (extension's position, factory, is async)
_plans: dict[tuple[str, tuple[type[SchemaExtension], ...]], Plan] = {}
CACHED_PLANS = 64


def _plan(phase: str, extension_types: tuple[type[SchemaExtension], ...]) -> Plan:
    """Which of a schema's extensions (by class, in order) have a hook for the phase."""
    key = (phase, extension_types)
    plan = _plans.get(key)
    if plan is None:
        found = ((i, hook_of(kind, phase)) for i, kind in enumerate(extension_types))
        plan = tuple((i, hook[0], hook[1]) for i, hook in found if hook is not None)
        if len(_plans) >= CACHED_PLANS:
            _plans.clear()
        _plans[key] = plan
    return plan


class _ClassHooks:
    HOOK_NAME: str
    hooks: list[WrappedHook]
    default_hook: Any

    def __init__(self, extensions: list[SchemaExtension]) -> None:
        """ExtensionContextManagerBase.__init__'s hooks, from the plan of these classes."""
        self.default_hook = getattr(SchemaExtension, self.HOOK_NAME)
        plan = _plan(self.HOOK_NAME, tuple(type(extension) for extension in extensions))
        self.hooks = [
            WrappedHook(extensions[i], functools.partial(factory, extensions[i]), is_async)
            for i, factory, is_async in plan
        ]

    def get_hook(self, extension: SchemaExtension) -> WrappedHook | None:
        found = hook_of(type(extension), self.HOOK_NAME)
        if found is None:
            return None
        factory, is_async = found
        return WrappedHook(extension, functools.partial(factory, extension), is_async)


class _Operation(_ClassHooks, OperationContextManager):
    pass


class _Parsing(_ClassHooks, ParsingContextManager):
    pass


class _Validation(_ClassHooks, ValidationContextManager):
    pass


class _Executing(_ClassHooks, ExecutingContextManager):
    pass


def _reports(extension_type: type[SchemaExtension]) -> bool:
    return extension_type.get_results is not SchemaExtension.get_results


class ClassHooksRunner(SchemaExtensionsRunner):
    """strawberry's runner with each phase's hooks found per extension class."""

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        """The results of the extensions whose class reports any (SchemaExtension's own
        get_results reports nothing), then the context's, as strawberry gathers them."""
        data: dict[str, Any] = {}
        for extension in self.extensions:
            if _reports(type(extension)):
                data.update(await await_maybe(extension.get_results()))
        data.update(ctx.extensions_results)
        return data

    def operation(self) -> OperationContextManager:
        return _Operation(self.extensions)

    def parsing(self) -> ParsingContextManager:
        return _Parsing(self.extensions)

    def validation(self) -> ValidationContextManager:
        return _Validation(self.extensions)

    def executing(self) -> ExecutingContextManager:
        return _Executing(self.extensions)
