"""The Mutation root, merged from each area's mutation type."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.areas.concepts import ConceptMutation
from schema.areas.identity import IdentityMutation

__all__ = ["Mutation"]

Mutation = merge_types("Mutation", (IdentityMutation, ConceptMutation))
