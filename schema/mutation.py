"""The Mutation root, merged from each area's mutation type."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.areas.accounts import AccountMutation
from schema.areas.admin import AdminMutation
from schema.areas.concepts import ConceptMutation
from schema.areas.courses import CourseMutation
from schema.areas.identity import IdentityMutation
from schema.areas.learning import LearningMutation
from schema.areas.lessons import LessonMutation
from schema.areas.paths import PathMutation
from schema.areas.reconciliation import ReconciliationMutation
from schema.areas.study import StudyMutation
from schema.areas.sync import SyncMutation
from schema.extensions.audit import audit_mutations
from schema.extensions.payload_problems import answer_in_payloads

__all__ = ["Mutation"]

Mutation = merge_types(
    "Mutation",
    (
        CourseMutation,
        IdentityMutation,
        AccountMutation,
        ConceptMutation,
        LearningMutation,
        LessonMutation,
        StudyMutation,
        PathMutation,
        SyncMutation,
        ReconciliationMutation,
        AdminMutation,
    ),
)
Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Every change. Expected failures come back in each payload's errors, with nothing written."
)
answer_in_payloads(audit_mutations(Mutation))
