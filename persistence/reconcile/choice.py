"""Which entity types a run covers: all the registry mirrors, or a named subset of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from domain.events import EntityType
    from persistence.sync.mirror import MirrorRegistry

__all__ = ["UnknownEntityTypesError", "chosen_types", "mirrored_types"]


class UnknownEntityTypesError(ValueError):
    """Names that are not mirrored entity types; `names` lists them."""

    def __init__(self, names: list[str], known: list[str]) -> None:
        super().__init__(f"unknown entity types: {', '.join(names)} (known: {', '.join(known)})")
        self.names = names
        self.known = known


def mirrored_types(registry: MirrorRegistry) -> list[EntityType]:
    """Every type the registry mirrors, nodes before the edges that hang on them."""
    return [mirror.entity_type for mirror in registry.ordered()]


def chosen_types(registry: MirrorRegistry, names: Sequence[str] | None) -> list[EntityType]:
    """The named types (case-insensitive, e.g. "concept"), in mirror order; all when None."""
    every = mirrored_types(registry)
    if names is None:
        return every
    by_name = {entity_type.value: entity_type for entity_type in every}
    wanted = [name.strip().lower() for name in names]
    unknown = [name for name, key in zip(names, wanted, strict=True) if key not in by_name]
    if unknown:
        raise UnknownEntityTypesError(unknown, sorted(by_name))
    return [entity_type for entity_type in every if entity_type.value in set(wanted)]
