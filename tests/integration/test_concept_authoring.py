"""Authoring concepts and their links (update, delete, relations); browsing and statistics."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from persistence.sql.models import Concept
from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_path, make_user, scalar
from tests.support.statements import counted_statements

if TYPE_CHECKING:
    from config.settings import Settings
    from tests.support.api import Api

UPDATE = operation("UpdateConcept")

DELETE = operation("DeleteConcept")

ADD = operation("AddConceptRelation")

REMOVE = operation("RemoveConceptRelation")

CONCEPTS = operation("Concepts")

STATS = operation("ConceptStats")


def events(engine: Engine, entity_type: str) -> list[tuple[str, str, int, dict[str, Any]]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT event_type, entity_id, source_version, payload FROM outbox_events"
                " WHERE entity_type = :type ORDER BY seq"
            ),
            {"type": entity_type},
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]


def codes(errors: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in errors]


def link(source: uuid.UUID, target: uuid.UUID, kind: str = "PREREQUISITE", **more: Any) -> Any:
    return {"input": {"sourceId": str(source), "targetId": str(target), "kind": kind, **more}}


async def as_teacher(api: Api, engine: Engine) -> None:
    """Signs in a teacher who created every concept made so far (teachers change their own)."""
    tess = make_user(engine, "tess", role="teacher")
    with engine.begin() as connection:
        connection.execute(text("UPDATE concepts SET created_by = :tess"), {"tess": tess})
    await api.sign_in("tess", PASSWORD)


# ---------------------------------------------------------------- updateConcept


async def test_a_teacher_updates_a_concept_and_its_version_grows(api: Api, engine: Engine) -> None:
    # given a concept at version 1 and a signed-in teacher
    sets = make_concept(engine, "sets")
    await as_teacher(api, engine)
    # when the teacher changes its display name and description, expecting version 1
    changes = {"displayName": "Set Theory", "description": "Collections.", "expectedVersion": 1}
    payload = (await api.data(UPDATE, {"id": str(sets), "input": changes}))["updateConcept"]
    # then the concept is at version 2 with the new fields, and the graph hears of it
    assert payload["errors"] == []
    assert payload["concept"] == {
        "id": str(sets),
        "name": "sets",
        "displayName": "Set Theory",
        "description": "Collections.",
        "version": 2,
    }
    assert payload["syncToken"]
    assert events(engine, "concept") == [("entity_updated", str(sets), 2, {})]


async def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(
    api: Api, engine: Engine
) -> None:
    sets = make_concept(engine, "sets")
    await as_teacher(api, engine)
    stale = {"displayName": "Set Theory", "expectedVersion": 3}
    payload = (await api.data(UPDATE, {"id": str(sets), "input": stale}))["updateConcept"]
    assert payload["concept"] is None
    assert codes(payload["errors"]) == [("expectedVersion", "CONFLICT")]
    assert scalar(engine, "SELECT display_name FROM concepts") == "Sets"
    assert events(engine, "concept") == []


async def test_bad_update_fields_are_named_and_nothing_is_written(api: Api, engine: Engine) -> None:
    sets = make_concept(engine, "sets")
    await as_teacher(api, engine)
    bad = {"displayName": " ", "complexityScore": 11, "difficulty": None}
    payload = (await api.data(UPDATE, {"id": str(sets), "input": bad}))["updateConcept"]
    assert sorted(codes(payload["errors"])) == [
        ("complexityScore", "VALIDATION"),
        ("difficulty", "VALIDATION"),
        ("displayName", "VALIDATION"),
    ]
    assert scalar(engine, "SELECT version FROM concepts") == 1
    assert events(engine, "concept") == []


async def test_an_unknown_or_malformed_id_is_refused_as_another_authors_concept(
    api: Api, engine: Engine
) -> None:
    # given a signed-in teacher and a concept another teacher wrote
    await as_teacher(api, engine)
    others = make_concept(engine, "sets", author=make_user(engine, "otto", role="teacher"))
    # when tess updates it, an unknown id and a malformed one
    refusals = [
        codes(
            (await api.data(UPDATE, {"id": wanted, "input": {"displayName": "X"}}))[
                "updateConcept"
            ]["errors"]
        )
        for wanted in (str(others), str(uuid.uuid4()), "not-an-id")
    ]
    # then each is the same refusal, and the concept is unchanged
    assert refusals == [[("id", "FORBIDDEN")]] * 3
    assert scalar(engine, "SELECT display_name FROM concepts") == "Sets"


async def test_only_authors_update_concepts(api: Api, engine: Engine) -> None:
    # given a concept, first no one signed in, then a student
    sets = make_concept(engine, "sets")
    sent = {"id": str(sets), "input": {"displayName": "Hacked"}}
    anonymous = (await api.data(UPDATE, sent))["updateConcept"]
    make_user(engine, "sam")
    await api.sign_in("sam", PASSWORD)
    student = (await api.data(UPDATE, sent))["updateConcept"]
    # then both are refused and the concept is unchanged
    assert [e["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    assert [e["code"] for e in student["errors"]] == ["FORBIDDEN"]
    assert scalar(engine, "SELECT display_name FROM concepts") == "Sets"


# ---------------------------------------------------------------- deleteConcept


async def test_deleting_a_concept_tells_the_graph_of_its_cascaded_links_and_paths(
    api: Api, engine: Engine
) -> None:
    # given a -> b -> c prerequisites and a path a, b, c
    a = make_concept(engine, "a")
    b = make_concept(engine, "b", prerequisites=[a])
    c = make_concept(engine, "c", prerequisites=[b])
    path = make_path(engine, "Letters", required=[a, b, c])
    await as_teacher(api, engine)
    # when b is deleted
    payload = (await api.data(DELETE, {"id": str(b)}))["deleteConcept"]
    # then b, its links and its path item are gone, the path is renumbered 0..n-1
    assert payload == {"deletedId": str(b), "syncToken": payload["syncToken"], "errors": []}
    assert payload["syncToken"]
    assert count(engine, "concepts") == 2
    assert count(engine, "concept_relations") == 0
    with engine.connect() as connection:
        items = connection.execute(
            text("SELECT concept_id, order_index FROM learning_path_items ORDER BY order_index")
        ).all()
    assert [(row[0], row[1]) for row in items] == [(a, 0), (c, 1)]
    # and the graph hears of the deletion, each relation with its key, and the path's change
    assert events(engine, "concept") == [("entity_deleted", str(b), 2, {})]
    removed = events(engine, "concept_relation")
    assert {event[0] for event in removed} == {"relationship_deleted"}
    assert sorted((e[3]["source_id"], e[3]["target_id"], e[3]["kind"]) for e in removed) == sorted(
        [(str(a), str(b), "prerequisite"), (str(b), str(c), "prerequisite")]
    )
    assert events(engine, "learning_path") == [("entity_updated", str(path), 2, {})]
    assert scalar(engine, "SELECT version FROM learning_paths") == 2


async def test_deleting_needs_the_concepts_author_and_a_known_concept(
    api: Api, engine: Engine
) -> None:
    sets = make_concept(engine, "sets")
    make_user(engine, "sam")
    await api.sign_in("sam", PASSWORD)
    forbidden = (await api.data(DELETE, {"id": str(sets)}))["deleteConcept"]
    await as_teacher(api, engine)
    unknown = (await api.data(DELETE, {"id": str(uuid.uuid4())}))["deleteConcept"]
    assert [e["code"] for e in forbidden["errors"]] == ["FORBIDDEN"]
    assert forbidden["deletedId"] is None
    assert codes(unknown["errors"]) == [("id", "FORBIDDEN")]
    assert count(engine, "concepts") == 1
    assert events(engine, "concept") == []


# ---------------------------------------------------------------- addConceptRelation


async def test_a_teacher_links_two_concepts(api: Api, engine: Engine) -> None:
    # given two concepts
    sets = make_concept(engine, "sets")
    graphs = make_concept(engine, "graphs")
    await as_teacher(api, engine)
    # when sets becomes a prerequisite of graphs
    sent = link(sets, graphs, strength=0.8, reason="edges are pairs")
    payload = (await api.data(ADD, sent))["addConceptRelation"]
    # then the relation comes back with both ends, and the graph hears of it
    assert payload["errors"] == []
    assert payload["relation"] == {
        "kind": "PREREQUISITE",
        "strength": 0.8,
        "reason": "edges are pairs",
        "source": {"id": str(sets), "name": "sets"},
        "target": {"id": str(graphs), "name": "graphs"},
    }
    relation_id = str(scalar(engine, "SELECT id FROM concept_relations"))
    assert events(engine, "concept_relation") == [("relationship_created", relation_id, 1, {})]


async def test_the_strength_defaults_to_one(api: Api, engine: Engine) -> None:
    sets, graphs = make_concept(engine, "sets"), make_concept(engine, "graphs")
    await as_teacher(api, engine)
    payload = (await api.data(ADD, link(sets, graphs, "RELATED_TO")))["addConceptRelation"]
    assert payload["relation"]["strength"] == 1.0
    assert payload["relation"]["kind"] == "RELATED_TO"


async def test_self_links_bad_strength_and_unknown_concepts_are_refused(
    api: Api, engine: Engine
) -> None:
    sets = make_concept(engine, "sets")
    await as_teacher(api, engine)
    self_link = (await api.data(ADD, link(sets, sets)))["addConceptRelation"]
    strong = (await api.data(ADD, link(sets, uuid.uuid4(), strength=1.5)))["addConceptRelation"]
    unknown = (await api.data(ADD, link(uuid.uuid4(), sets)))["addConceptRelation"]
    malformed = (await api.data(ADD, link(sets, "nope")))["addConceptRelation"]  # type: ignore[arg-type]
    assert codes(self_link["errors"]) == [("targetId", "VALIDATION")]
    assert codes(strong["errors"]) == [("strength", "VALIDATION")]
    assert codes(unknown["errors"]) == [("sourceId", "NOT_FOUND")]
    assert codes(malformed["errors"]) == [("targetId", "NOT_FOUND")]
    assert self_link["relation"] is None
    assert count(engine, "concept_relations") == 0
    assert events(engine, "concept_relation") == []


async def test_the_same_link_twice_is_a_duplicate(api: Api, engine: Engine) -> None:
    sets, graphs = make_concept(engine, "sets"), make_concept(engine, "graphs")
    await as_teacher(api, engine)
    await api.data(ADD, link(sets, graphs))
    again = (await api.data(ADD, link(sets, graphs)))["addConceptRelation"]
    assert codes(again["errors"]) == [("kind", "DUPLICATE")]
    assert count(engine, "concept_relations") == 1


async def test_a_prerequisite_closing_a_cycle_is_refused_but_other_kinds_may_loop(
    api: Api, engine: Engine
) -> None:
    # given a -> b -> c as prerequisites
    a = make_concept(engine, "a")
    b = make_concept(engine, "b", prerequisites=[a])
    c = make_concept(engine, "c", prerequisites=[b])
    await as_teacher(api, engine)
    # when c is made a prerequisite of a, and then merely related to it
    cycle = (await api.data(ADD, link(c, a)))["addConceptRelation"]
    related = (await api.data(ADD, link(c, a, "RELATED_TO")))["addConceptRelation"]
    # then the prerequisite is refused as a cycle, the related link is fine
    assert codes(cycle["errors"]) == [("targetId", "CYCLE")]
    assert related["errors"] == []
    assert count(engine, "concept_relations", "kind = 'prerequisite'") == 2


async def test_two_concurrent_opposite_prerequisites_cannot_make_a_cycle_together(
    api: Api, engine: Engine
) -> None:
    # given two unlinked concepts
    a, b = make_concept(engine, "a"), make_concept(engine, "b")
    await as_teacher(api, engine)
    # when a -> b and b -> a are added at the same time
    results = await asyncio.gather(api.data(ADD, link(a, b)), api.data(ADD, link(b, a)))
    # then exactly one wins and the other is a cycle
    outcomes = sorted(codes(r["addConceptRelation"]["errors"]) for r in results)
    assert outcomes == [[], [("targetId", "CYCLE")]]
    assert count(engine, "concept_relations") == 1


async def test_only_authors_link_concepts(api: Api, engine: Engine) -> None:
    sets, graphs = make_concept(engine, "sets"), make_concept(engine, "graphs")
    make_user(engine, "sam")
    await api.sign_in("sam", PASSWORD)
    payload = (await api.data(ADD, link(sets, graphs)))["addConceptRelation"]
    assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"]
    assert count(engine, "concept_relations") == 0


# ---------------------------------------------------------------- removeConceptRelation


async def test_removing_a_link_records_its_key_for_the_graph(api: Api, engine: Engine) -> None:
    # given sets -> graphs
    sets = make_concept(engine, "sets")
    graphs = make_concept(engine, "graphs", prerequisites=[sets])
    relation_id = str(scalar(engine, "SELECT id FROM concept_relations"))
    await as_teacher(api, engine)
    key = link(sets, graphs)
    # when it is removed, twice
    first = (await api.data(REMOVE, key))["removeConceptRelation"]
    second = (await api.data(REMOVE, key))["removeConceptRelation"]
    # then the first removes it and tells the graph its key; the second finds nothing
    assert (first["removed"], first["errors"]) == (True, [])
    assert first["syncToken"]
    assert (second["removed"], second["errors"], second["syncToken"]) == (False, [], None)
    assert count(engine, "concept_relations") == 0
    key_payload = {"source_id": str(sets), "target_id": str(graphs), "kind": "prerequisite"}
    assert events(engine, "concept_relation") == [
        ("relationship_deleted", relation_id, 2, key_payload)
    ]


async def test_removing_needs_an_author_and_known_concepts(api: Api, engine: Engine) -> None:
    sets = make_concept(engine, "sets")
    graphs = make_concept(engine, "graphs", prerequisites=[sets])
    make_user(engine, "sam")
    await api.sign_in("sam", PASSWORD)
    forbidden = (await api.data(REMOVE, link(sets, graphs)))["removeConceptRelation"]
    await as_teacher(api, engine)
    unknown = (await api.data(REMOVE, link(sets, uuid.uuid4())))["removeConceptRelation"]
    assert [e["code"] for e in forbidden["errors"]] == ["FORBIDDEN"]
    assert codes(unknown["errors"]) == [("targetId", "NOT_FOUND")]
    assert forbidden["removed"] is False
    assert count(engine, "concept_relations") == 1


# ---------------------------------------------------------------- concepts (browsing)


CATALOGUE = [
    ("arrays", "Arrays", "beginner", "cs", ["Vectors"], ["index"]),
    ("graphs", "Graphs", "intermediate", "math", [], ["Vertex", "edge"]),
    ("hashing", "Hash Tables", "intermediate", "cs", ["dictionary"], ["bucket"]),
    ("sorting", "Sorting", "beginner", "cs", [], ["100%_stable"]),
]


def make_catalogue(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        session.add_all(
            Concept(
                name=name,
                display_name=display,
                difficulty=difficulty,
                domain=domain,
                category="basics",
                synonyms=synonyms,
                key_terms=terms,
            )
            for name, display, difficulty, domain, synonyms, terms in CATALOGUE
        )


async def names(api: Api, variables: dict[str, Any]) -> list[str]:
    found = (await api.data(CONCEPTS, variables))["concepts"]
    return [edge["node"]["name"] for edge in found["edges"]]


async def test_concepts_page_by_name_with_a_cursor(api: Api, engine: Engine) -> None:
    # given four concepts
    make_catalogue(engine)
    # when they are read two at a time, counting the SQL statements of the first page
    with counted_statements() as statements:
        first = (await api.data(CONCEPTS, {"first": 2}))["concepts"]
    after = first["pageInfo"]["endCursor"]
    second = (await api.data(CONCEPTS, {"first": 2, "after": after}))["concepts"]
    # then pages follow the name order, one statement (page and count together) answers each
    assert [edge["node"]["name"] for edge in first["edges"]] == ["arrays", "graphs"]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (4, True)
    assert [edge["node"]["name"] for edge in second["edges"]] == ["hashing", "sorting"]
    assert (second["totalCount"], second["pageInfo"]["hasNextPage"]) == (4, False)
    assert len([s for s in statements if "FROM concepts" in s]) == 1


async def test_concepts_filter_by_domain_and_difficulty(api: Api, engine: Engine) -> None:
    make_catalogue(engine)
    wanted = {"filter": {"domain": "cs", "difficulty": "BEGINNER"}}
    found = (await api.data(CONCEPTS, wanted))["concepts"]
    assert [edge["node"]["name"] for edge in found["edges"]] == ["arrays", "sorting"]
    assert found["totalCount"] == 2
    assert found["edges"][0]["node"]["difficulty"] == "BEGINNER"


async def test_search_matches_names_synonyms_and_key_terms_ignoring_case(
    api: Api, engine: Engine
) -> None:
    make_catalogue(engine)
    assert await names(api, {"filter": {"search": "HASH"}}) == ["hashing"]
    assert await names(api, {"filter": {"search": "tables"}}) == ["hashing"]
    assert await names(api, {"filter": {"search": "vector"}}) == ["arrays"]
    assert await names(api, {"filter": {"search": "vertex"}}) == ["graphs"]
    assert await names(api, {"filter": {"search": "100%_"}}) == ["sorting"]
    assert await names(api, {"filter": {"search": "%"}}) == ["sorting"]
    assert await names(api, {"filter": {"search": "zebra"}}) == []


async def test_a_negative_first_or_a_bad_cursor_is_refused(api: Api, engine: Engine) -> None:
    negative = await api.send(CONCEPTS, {"first": -1})
    garbled = await api.send(CONCEPTS, {"after": "???"})
    assert negative["errors"][0]["extensions"]["field"] == "first"
    assert garbled["errors"][0]["extensions"]["field"] == "after"


# ---------------------------------------------------------------- conceptStats


def record_progress(
    engine: Engine, user: uuid.UUID, concept: uuid.UUID, status: str, pct: float
) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO concept_progress (user_id, concept_id, status, progress_percent,"
                " mastery_score, time_spent_seconds) VALUES (:u, :c, :s, :p, 0, 0)"
            ),
            {"u": user, "c": concept, "s": status, "p": pct},
        )


async def test_concept_stats_count_learners_and_average_their_progress(
    api: Api, engine: Engine
) -> None:
    # given three learners on sets (completed, mastered, halfway) and one on graphs (started)
    sets, graphs, _unlearned = (make_concept(engine, n) for n in ("sets", "graphs", "logic"))
    ann, bob, cat = (make_user(engine, n) for n in ("ann", "bob", "cat"))
    record_progress(engine, ann, sets, "completed", 100)
    record_progress(engine, bob, sets, "mastered", 100)
    record_progress(engine, cat, sets, "in_progress", 40)
    record_progress(engine, ann, graphs, "in_progress", 10)
    # when a teacher reads the statistics, in one SQL statement
    make_user(engine, "tess", role="teacher")
    await api.sign_in("tess", PASSWORD)
    with counted_statements() as statements:
        stats = (await api.data(STATS, {"first": 10}))["conceptStats"]
    # then the most followed concept comes first with its figures
    assert stats == [
        {
            "concept": {"id": str(sets), "name": "sets"},
            "learners": 3,
            "averageProgress": 80.0,
            "completionRate": 2 / 3,
        },
        {
            "concept": {"id": str(graphs), "name": "graphs"},
            "learners": 1,
            "averageProgress": 10.0,
            "completionRate": 0.0,
        },
    ]
    caller_check = "FROM users"  # the token's user is still active, with this role
    assert len([sql for sql in statements if caller_check not in sql]) == 1
    assert len((await api.data(STATS, {"first": 1}))["conceptStats"]) == 1


async def test_learners_and_anonymous_callers_see_only_statistics_over_enough_learners(
    api: Api, engine: Engine, settings: Settings
) -> None:
    # given one learner fewer than the floor on sets and exactly the floor on graphs
    floor = settings.lg_stats_min_learners
    sets, graphs = make_concept(engine, "sets"), make_concept(engine, "graphs")
    learners = [make_user(engine, f"learner{index}") for index in range(floor)]
    for learner in learners:
        record_progress(engine, learner, graphs, "completed", 100)
    for learner in learners[1:]:
        record_progress(engine, learner, sets, "in_progress", 50)
    # when nobody signed in and then a learner reads the statistics
    anonymous = (await api.data(STATS, {"first": 10}))["conceptStats"]
    await api.sign_in("learner0", PASSWORD)
    learner = (await api.data(STATS, {"first": 10}))["conceptStats"]
    # then only graphs is shown, with its figures
    shown = [
        {
            "concept": {"id": str(graphs), "name": "graphs"},
            "learners": floor,
            "averageProgress": 100.0,
            "completionRate": 1.0,
        }
    ]
    assert anonymous == shown
    assert learner == shown
    # while an admin sees sets too
    await api.sign_in("admin", "admin-password")
    admin = (await api.data(STATS, {"first": 10}))["conceptStats"]
    assert [row["learners"] for row in admin] == [floor, floor - 1]
