"""The unit of work's own bookkeeping: versions moved and outbox events recorded for every row
it writes, by flush or by statement, without the writer recording anything."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from persistence.sql.bookkeeping import EXEMPT, HiddenWrite, touch
from persistence.sql.link_watch import UnannouncedLinks
from persistence.sql.models import Concept, ConceptProgress, LearningPath, LearningPathItem, User
from persistence.sql.unit_of_work import UnitOfWork
from persistence.sync.registry import default_registry
from persistence.sync.tracking import mirrored_rows
from tasks.publish import OutboxPublisher
from tests.support.learners import make_concept, make_path, make_user, scalar

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable

    from sqlalchemy.sql import Executable


Sessions = async_sessionmaker[AsyncSession]


def work(sessions: Sessions) -> UnitOfWork:
    """A unit of work as a mutation gets it; its events are left for the relay."""
    publisher = OutboxPublisher(sessions, send=lambda event_ids: None)
    return UnitOfWork(sessions, publisher, tracking=mirrored_rows())


def events(engine: Engine) -> list[tuple[str, str, str, int, dict[str, Any]]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT event_type, entity_type, entity_id, source_version, payload"
                " FROM outbox_events ORDER BY seq"
            )
        )
        return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]


def forget_events(engine: Engine) -> None:
    """Drops what the factories recorded, so a test sees only its own work's events."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox_events"))


@pytest.fixture
def sets(engine: Engine) -> uuid.UUID:
    """A concept named sets, at version 1, made before the test's own events."""
    concept_id = make_concept(engine, "sets")
    forget_events(engine)
    return concept_id


@pytest.fixture
def ada(engine: Engine) -> uuid.UUID:
    """A user named ada, at version 1, made before the test's own events."""
    user_id = make_user(engine, "ada")
    forget_events(engine)
    return user_id


def new_concept(name: str) -> Concept:
    return Concept(name=name, display_name=name.title(), difficulty="beginner")


async def test_a_row_added_without_recording_anything_still_announces_its_creation(
    sessions: Sessions, engine: Engine
) -> None:
    forget_events(engine)
    # when a concept is added and nothing is recorded by hand
    async with work(sessions) as uow:
        concept = new_concept("sets")
        uow.session.add(concept)
        await uow.commit()
    # then it starts at version 1 and the graph hears of it
    assert concept.version == 1
    assert events(engine) == [("entity_created", "concept", str(concept.id), 1, {})]


async def test_a_changed_row_moves_its_version_once_per_unit_of_work(
    sessions: Sessions, engine: Engine, sets: uuid.UUID
) -> None:
    # given a concept at version 1
    # when one unit of work changes it in two flushes
    async with work(sessions) as uow:
        concept = await uow.session.get_one(Concept, sets)
        concept.display_name = "Set theory"
        await uow.session.flush()
        concept.description = "Collections."
        await uow.commit()
    # then its version moved once and one update is announced with it
    assert scalar(engine, "SELECT version FROM concepts") == 2
    assert events(engine) == [("entity_updated", "concept", str(sets), 2, {})]


async def test_a_touched_row_moves_its_version_though_no_value_changed(
    sessions: Sessions, engine: Engine, sets: uuid.UUID
) -> None:
    async with work(sessions) as uow:
        touch(await uow.session.get_one(Concept, sets))
        await uow.commit()
    assert events(engine) == [("entity_updated", "concept", str(sets), 2, {})]


async def test_writing_only_unversioned_columns_moves_no_version_and_tells_the_graph_nothing(
    sessions: Sessions, engine: Engine, ada: uuid.UUID
) -> None:
    # given a user
    # when a flush and a statement write only a sign-in stamp and a password hash
    async with work(sessions) as uow:
        user = await uow.session.get_one(User, ada)
        user.password_hash = "changed"
        await uow.session.flush()
        stamp = update(User).where(User.id == ada).values(last_login_at=func.now())
        await uow.session.execute(stamp)
        await uow.commit()
    # then the user keeps version 1 and no event is written
    assert scalar(engine, "SELECT version FROM users") == 1
    assert events(engine) == []


async def test_a_user_is_announced_with_the_user_event_kinds(
    sessions: Sessions, engine: Engine, ada: uuid.UUID
) -> None:
    async with work(sessions) as uow:
        (await uow.session.get_one(User, ada)).role = "teacher"
        await uow.commit()
    assert events(engine) == [("user_updated", "user", str(ada), 2, {})]


async def test_a_delete_announces_the_row_and_every_mirrored_row_the_database_cascades_to(
    sessions: Sessions, engine: Engine
) -> None:
    # given a -> b, and a learner's progress on b
    a = make_concept(engine, "a")
    b = make_concept(engine, "b", prerequisites=[a])
    learner = make_user(engine, "ada")
    forget_events(engine)
    async with work(sessions) as uow:
        await uow.session.execute(
            insert(ConceptProgress).values(
                user_id=learner, concept_id=b, status="in_progress", progress_percent=10.0
            )
        )
        await uow.commit()
    relation_id = scalar(engine, "SELECT CAST(id AS text) FROM concept_relations")
    # when b is deleted through the ORM
    async with work(sessions) as uow:
        await uow.session.delete(await uow.session.get_one(Concept, b))
        await uow.commit()
    # then b, its relation (with the key the graph needs) and the progress on it are announced
    deleted = [event for event in events(engine) if event[0].endswith("deleted")]
    assert sorted(deleted) == sorted(
        [
            ("entity_deleted", "concept", str(b), 2, {}),
            (
                "relationship_deleted",
                "concept_relation",
                relation_id,
                2,
                {"source_id": str(a), "target_id": str(b), "kind": "prerequisite"},
            ),
            ("relationship_deleted", "concept_progress", f"{learner}:{b}", 2, {}),
        ]
    )


async def test_an_upsert_announces_a_creation_then_an_update(
    sessions: Sessions, engine: Engine
) -> None:
    # given a learner and a concept
    concept_id = make_concept(engine, "sets")
    learner = make_user(engine, "ada")
    statement = insert(ConceptProgress).values(
        user_id=learner, concept_id=concept_id, status="in_progress", progress_percent=10.0
    )
    upsert = statement.on_conflict_do_update(
        index_elements=["user_id", "concept_id"],
        set_={"progress_percent": 20.0, "version": ConceptProgress.version + 1},
    )
    forget_events(engine)
    # when the same progress is upserted twice, returning what the caller asks for
    for _ in range(2):
        async with work(sessions) as uow:
            returned = (await uow.session.execute(upsert.returning(ConceptProgress.status))).all()
            await uow.commit()
        # then the caller sees only its own RETURNING
        assert [tuple(row) for row in returned] == [("in_progress",)]
    # and the graph hears of its creation at version 1, then of its update at version 2
    entity_id = f"{learner}:{concept_id}"
    assert [event[:4] for event in events(engine)] == [
        ("relationship_created", "concept_progress", entity_id, 1),
        ("relationship_updated", "concept_progress", entity_id, 2),
    ]


async def test_update_and_delete_statements_move_versions_and_announce_each_row(
    sessions: Sessions, engine: Engine
) -> None:
    # given two concepts
    ids = sorted([make_concept(engine, "a"), make_concept(engine, "b")])
    # when one statement updates both and another deletes one, returning its name
    forget_events(engine)
    async with work(sessions) as uow:
        await uow.session.execute(update(Concept).values(category="maths"))
        gone = await uow.session.scalar(
            delete(Concept).where(Concept.id == ids[0]).returning(Concept.name)
        )
        await uow.commit()
    # then each row is announced with its new version, and the caller got only the name
    assert gone in ("a", "b")
    assert scalar(engine, "SELECT version FROM concepts") == 2
    updated = sorted(event[:4] for event in events(engine) if event[0] == "entity_updated")
    assert updated == [("entity_updated", "concept", str(concept_id), 2) for concept_id in ids]
    assert [event[:4] for event in events(engine) if event[0] == "entity_deleted"] == [
        ("entity_deleted", "concept", str(ids[0]), 3)
    ]


@pytest.mark.parametrize(
    "chosen",
    [
        lambda concept_id: update(Concept).where(Concept.id == concept_id).values(version=7),
        lambda concept_id: text("UPDATE concepts SET version = 7 WHERE id = :id").bindparams(
            id=concept_id
        ),
    ],
    ids=["statement", "text"],
)
async def test_an_exempt_statement_is_left_to_its_writer(
    sessions: Sessions, engine: Engine, sets: uuid.UUID, chosen: Callable[[uuid.UUID], Executable]
) -> None:
    async with work(sessions) as uow:
        await uow.session.execute(chosen(sets), execution_options={EXEMPT: True})
        await uow.commit()
    assert scalar(engine, "SELECT version FROM concepts") == 7
    assert events(engine) == []


async def test_text_sql_that_would_write_a_mirrored_row_unseen_is_refused_and_writes_nothing(
    sessions: Sessions, engine: Engine, sets: uuid.UUID
) -> None:
    # given a concept at version 1
    # when a unit of work renames it with text SQL, which the bookkeeping cannot see through
    rename = text("UPDATE concepts SET display_name = 'Renamed' WHERE id = :id")
    async with work(sessions) as uow:
        with pytest.raises(HiddenWrite, match="text SQL writes concepts"):
            await uow.session.execute(rename, {"id": sets})
        await uow.commit()
    # then nothing changed: no rename without its version and its event
    assert scalar(engine, "SELECT display_name FROM concepts") == "Sets"
    assert scalar(engine, "SELECT version FROM concepts") == 1
    assert events(engine) == []


async def test_a_statement_that_changes_a_paths_items_without_touching_the_path_is_refused(
    sessions: Sessions, engine: Engine, sets: uuid.UUID
) -> None:
    # given a path holding one concept
    path_id = make_path(engine, "Sets first", required=[sets])
    forget_events(engine)
    # when a unit of work drops the path's items by statement and leaves the path untouched
    drop = delete(LearningPathItem).where(LearningPathItem.path_id == path_id)
    async with work(sessions) as uow:
        await uow.session.execute(drop)
        with pytest.raises(
            UnannouncedLinks, match=f"learning_path_items changed for learning_path {path_id}"
        ):
            await uow.commit()
    # then nothing is written: the graph would never have heard of it
    assert scalar(engine, "SELECT count(*) FROM learning_path_items") == 1
    assert events(engine) == []


async def test_a_paths_items_changed_by_statement_go_with_the_paths_own_event(
    sessions: Sessions, engine: Engine, sets: uuid.UUID
) -> None:
    path_id = make_path(engine, "Sets first", required=[sets])
    forget_events(engine)
    async with work(sessions) as uow:
        await uow.session.execute(
            delete(LearningPathItem).where(LearningPathItem.path_id == path_id)
        )
        touch(await uow.session.get_one(LearningPath, path_id))
        await uow.commit()
    assert scalar(engine, "SELECT count(*) FROM learning_path_items") == 0
    assert events(engine) == [("entity_updated", "learning_path", str(path_id), 2, {})]


async def test_rows_read_but_not_written_announce_nothing(
    sessions: Sessions, engine: Engine, sets: uuid.UUID
) -> None:
    async with work(sessions) as uow:
        found = (await uow.session.scalars(select(Concept))).all()
        await uow.commit()
    assert [concept.version for concept in found] == [1]
    assert events(engine) == []


def test_every_mirror_of_the_registry_is_tracked_by_its_model() -> None:
    tracking = mirrored_rows()
    mirrors = default_registry().ordered()
    assert {entry.entity_type for entry in tracking.values()} == {m.entity_type for m in mirrors}
    assert len(tracking) == len(mirrors)
