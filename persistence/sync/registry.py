"""Every mirror the sync knows, in one registry."""

from __future__ import annotations

from persistence.sync.concepts import ConceptRelationMirror, concept_mirror
from persistence.sync.mirror import MirrorRegistry
from persistence.sync.users import user_mirror

__all__ = ["default_registry"]


def default_registry() -> MirrorRegistry:
    return MirrorRegistry([user_mirror(), concept_mirror(), ConceptRelationMirror()])
