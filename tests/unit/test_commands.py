"""GraphQL inputs become the resolvers' typed commands, knowing which fields were given."""

from __future__ import annotations

import dataclasses

import pytest
import strawberry

from resolvers import commands
from schema.areas.admin import AuditFilter, UserFilter
from schema.areas.concepts import (
    ConceptFilter,
    ConceptRelationInput,
    ConceptRelationKeyInput,
    CreateConceptInput,
    UpdateConceptInput,
)
from schema.areas.courses import CreateCourseInput, RecordSkillMasteryInput, UpdateCourseInput
from schema.areas.identity import RegisterInput, UpdatePreferencesInput, UpdateProfileInput
from schema.areas.learning import AnswerInput, CreateQuizInput, QuestionInput, RecordProgressInput
from schema.areas.lessons import CreateLessonInput, UpdateLessonInput
from schema.areas.paths import CreateLearningPathInput, PathItemInput
from schema.inputs import command
from schema.types.enums import Difficulty, QuestionKind

PAIRS: list[tuple[type, type[commands.Command]]] = [
    (ConceptFilter, commands.ConceptFilters),
    (CreateConceptInput, commands.ConceptDraft),
    (UpdateConceptInput, commands.ConceptChanges),
    (ConceptRelationInput, commands.RelationDraft),
    (ConceptRelationKeyInput, commands.RelationKey),
    (CreateCourseInput, commands.CourseDraft),
    (UpdateCourseInput, commands.CourseChanges),
    (RecordSkillMasteryInput, commands.MasteryAssessment),
    (RegisterInput, commands.Registration),
    (UpdateProfileInput, commands.ProfileChanges),
    (UpdatePreferencesInput, commands.PreferenceChanges),
    (RecordProgressInput, commands.ProgressReport),
    (QuestionInput, commands.QuizQuestion),
    (CreateQuizInput, commands.QuizDraft),
    (AnswerInput, commands.Answer),
    (CreateLessonInput, commands.LessonDraft),
    (UpdateLessonInput, commands.LessonChanges),
    (PathItemInput, commands.PathItem),
    (CreateLearningPathInput, commands.PathDraft),
    (UserFilter, commands.UserFilters),
    (AuditFilter, commands.AuditFilters),
]


@pytest.mark.parametrize(("graphql_input", "kind"), PAIRS, ids=lambda p: p.__name__)
def test_every_graphql_input_has_the_same_fields_as_its_command(
    graphql_input: type, kind: type[commands.Command]
) -> None:
    declared = {field.name for field in dataclasses.fields(graphql_input)}
    assert declared == set(kind.model_fields)


def test_a_partial_update_remembers_only_the_fields_the_client_set() -> None:
    # given an update that sets the display name and clears the description
    changes = UpdateConceptInput(display_name="Sets", description=None)
    # when it becomes a command
    update = command(changes, commands.ConceptChanges)
    # then only those two fields are given, the cleared one as None
    assert update.given() == {"display_name": "Sets", "description": None}


def test_enums_become_their_stored_words_and_nested_inputs_commands() -> None:
    question = QuestionInput(
        prompt="2 + 2?", kind=QuestionKind.SINGLE_CHOICE, options=["4", "5"], correct_answers=["4"]
    )
    draft = command(
        CreateQuizInput(
            concept_id=strawberry.ID("c"), title="Sums", passing_score=50, questions=[question]
        ),
        commands.QuizDraft,
    )
    assert draft.questions[0].kind == "single_choice"
    assert draft.questions[0].points == 1
    path = command(
        CreateLearningPathInput(title="T", difficulty=Difficulty.EXPERT), commands.PathDraft
    )
    assert path.difficulty == "expert"
    assert path.given(but=frozenset({"items"})) == {
        "title": "T",
        "difficulty": "expert",
        "description": "",
    }


def test_a_command_refuses_a_field_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="extra"):
        commands.CourseChanges.model_validate({"title": "x", "teacher": "y"})
