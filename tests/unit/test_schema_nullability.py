"""Fields that always have a value are non-null, so generated clients need no null checks."""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType, is_non_null_type

from schema.schema import build_schema

# Each of these follows a NOT NULL foreign key: the row it names always exists.
ALWAYS_PRESENT = [
    "ConceptProgress.concept",
    "PathEnrollment.path",
    "QuizAttempt.quiz",
    "Quiz.concept",
    "SkillMastery.skill",
    "Relation.source",
    "Relation.target",
    "Course.teacher",
    "PathItem.concept",
    "Recommendation.concept",
    "PathRecommendation.path",
    "SharedConcept.concept",
    "ConceptStat.concept",
    "AchievementAward.achievement",
]


@pytest.mark.parametrize("coordinate", ALWAYS_PRESENT)
def test_a_relation_that_always_exists_is_non_null(coordinate: str) -> None:
    # given a field that follows a required foreign key
    type_name, field_name = coordinate.split(".")
    owner = build_schema()._schema.type_map[type_name]
    assert isinstance(owner, GraphQLObjectType)
    # then the schema promises a value
    assert is_non_null_type(owner.fields[field_name].type)
