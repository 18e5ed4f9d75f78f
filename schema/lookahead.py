"""Looking ahead at a field's selection set, so a list can fetch what its items will ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from schema.info import Info

__all__ = ["children", "reaches", "selected", "selects"]


def selected(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    """The fields of a selection set, those of its fragments included."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from selected(selection.selections)


def _reaches(selections: Iterable[Selection], path: Sequence[str]) -> bool:
    for field in selected(selections):
        if field.name == path[0] and (len(path) == 1 or _reaches(field.selections, path[1:])):
            return True
    return False


def selects(info: Info, *path: str) -> bool:
    """Whether the current field's selection reaches `path` (GraphQL names, fragments included),
    e.g. `selects(info, "concept", "myProgress")` on a path's `concepts`."""
    return any(_reaches(field.selections, path) for field in info.selected_fields)


def children(info: Info) -> dict[str, SelectedField]:
    """The current field's subfields by name, each its first selection (arguments resolved);
    one walk of the selection (each `info.selected_fields` converts it all again)."""
    found: dict[str, SelectedField] = {}
    for field in info.selected_fields:
        for chosen in selected(field.selections):
            found.setdefault(chosen.name, chosen)
    return found


def reaches(field: SelectedField, *path: str) -> bool:
    """Whether this selected field's own selection reaches `path`."""
    return _reaches(field.selections, path)
