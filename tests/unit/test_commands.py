"""GraphQL inputs become the resolvers' typed commands, knowing which fields were given."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

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


def test_a_partial_update_writes_the_fields_given_a_null_too_and_leaves_the_others() -> None:
    # given a lesson row, and an update that renames it, clears its summary and moves it
    row = SimpleNamespace(title="Old", summary="Short", body="Long", order_index=3)
    changes = UpdateLessonInput(title="New", summary=None, order_index=0)
    update = command(changes, commands.LessonChanges)
    # when the update is applied to the row, but its place (which a resolver moves itself)
    update.apply_to(row, but={"order_index"})
    # then the title and the cleared summary are written; the body and the place are not
    assert (row.title, row.summary, row.body, row.order_index) == ("New", None, "Long", 3)


def test_a_field_given_as_null_is_told_from_one_not_given() -> None:
    update = command(
        UpdateConceptInput(display_name="Sets", description=None), commands.ConceptChanges
    )
    assert update.given_null(("display_name", "description", "difficulty")) == ["description"]
    assert update.gave("description")
    assert not update.gave("difficulty")


def test_a_concept_list_given_as_null_is_cleared_and_content_types_are_kept_once() -> None:
    concept = command(UpdateConceptInput(synonyms=None), commands.ConceptChanges)
    assert concept.synonyms == []
    assert concept.gave("synonyms")
    preferences = command(
        UpdatePreferencesInput(content_types=["video", "text", "video"]),
        commands.PreferenceChanges,
    )
    assert preferences.content_types == ["video", "text"]


def test_graphql_input_names_are_the_camel_case_of_command_fields() -> None:
    assert commands.input_name("real_world_examples") == "realWorldExamples"
    assert commands.input_name("title") == "title"
