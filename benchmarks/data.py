"""A deterministic synthetic world (seeded), bulk-loaded into PostgreSQL with COPY.

Concepts come in clusters; PREREQUISITE links go only from a lower to a higher index inside a
cluster, so the graph is acyclic and prerequisite chains stay bounded. Every learner progresses
through a run of consecutive concepts, the earlier ones completed, as learners do.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import psycopg

from domain.difficulty import Difficulty
from domain.relations import RelationKind
from domain.security import hash_password
from persistence.sql.database import libpq_url

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from benchmarks.scale import Scale

__all__ = ["World", "generate", "load_sql"]

DIFFICULTIES = tuple(Difficulty)
DOMAINS = ("data_science", "programming", "systems", "web", "mathematics")
OTHER_KINDS = tuple(kind for kind in RelationKind if kind != RelationKind.PREREQUISITE)
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
PASSWORD = "bench-password"  # noqa: S105  # the synthetic learners' shared password


@dataclass
class World:
    """Every generated row, by table, as tuples in the COPY column order."""

    concepts: list[tuple[Any, ...]] = field(default_factory=list)
    relations: list[tuple[Any, ...]] = field(default_factory=list)
    users: list[tuple[Any, ...]] = field(default_factory=list)
    profiles: list[tuple[Any, ...]] = field(default_factory=list)
    preferences: list[tuple[Any, ...]] = field(default_factory=list)
    paths: list[tuple[Any, ...]] = field(default_factory=list)
    items: list[tuple[Any, ...]] = field(default_factory=list)
    progress: list[tuple[Any, ...]] = field(default_factory=list)
    enrollments: list[tuple[Any, ...]] = field(default_factory=list)
    sessions: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def concept_ids(self) -> list[uuid.UUID]:
        return [row[0] for row in self.concepts]

    @property
    def student_ids(self) -> list[uuid.UUID]:
        return [row[0] for row in self.users if row[4] == "student"]


COLUMNS = {
    "concepts": "id, name, display_name, description, detailed_description, domain, category, subcategory, difficulty, complexity_score, cognitive_load, key_terms, synonyms",
    "concept_relations": "id, source_id, target_id, kind, strength, reason",
    "users": "id, username, email, password_hash, role, is_active",
    "profiles": "user_id, first_name, last_name, timezone, language",
    "learning_preferences": "user_id, daily_goal_minutes, preferred_difficulty, content_types, notifications_enabled, dark_mode",
    "learning_paths": "id, title, description, category, difficulty, estimated_hours, target_audience",
    "learning_path_items": "path_id, concept_id, order_index, is_required",
    "concept_progress": "user_id, concept_id, status, progress_percent, mastery_score, time_spent_seconds, completed_at, updated_at",
    "path_enrollments": "user_id, path_id, status, progress_percent",
    "learning_sessions": "id, user_id, concept_id, started_at, ended_at, duration_seconds, source",
}


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)


def _concepts(scale: Scale, rng: random.Random, new_id: _Ids) -> list[tuple[Any, ...]]:
    rows = []
    for index in range(scale.concepts):
        cluster = index // scale.cluster
        domain = DOMAINS[cluster % len(DOMAINS)]
        name = f"c{index:06d}"
        rows.append(
            (
                new_id(),
                name,
                f"Concept {index}",
                f"Synthetic concept {index} of cluster {cluster}",
                None,
                domain,
                f"cluster_{cluster:04d}",
                None,
                rng.choice(DIFFICULTIES),
                round(rng.uniform(0, 10), 2),
                round(rng.uniform(0, 10), 2),
                [f"term{index}", f"cluster{cluster}"],
                [f"syn{index}"],
            )
        )
    return rows


def _relations(
    scale: Scale, rng: random.Random, new_id: _Ids, ids: Sequence[uuid.UUID]
) -> list[tuple[Any, ...]]:
    seen: set[tuple[int, int, str]] = set()
    rows: list[tuple[Any, ...]] = []
    attempts = 0
    while len(rows) < scale.relations and attempts < scale.relations * 20:
        attempts += 1
        target = rng.randrange(1, scale.concepts)
        start = target - target % scale.cluster
        if target == start:
            continue
        source = rng.randrange(max(start, target - 8), target)
        kind = RelationKind.PREREQUISITE if rng.random() < 0.6 else rng.choice(OTHER_KINDS)
        if (source, target, kind) in seen:
            continue
        seen.add((source, target, kind))
        strength = round(rng.uniform(0.3, 1.0), 2)
        rows.append((new_id(), ids[source], ids[target], kind, strength, None))
    return rows


def _people(scale: Scale, rng: random.Random, new_id: _Ids, world: World) -> None:
    password_hash = hash_password(PASSWORD)
    for index in range(scale.users):
        user_id = new_id()
        role = "teacher" if index % 10 == 9 else "student"
        world.users.append(
            (user_id, f"u{index:06d}", f"u{index:06d}@bench.example", password_hash, role, True)
        )
        world.profiles.append((user_id, f"First{index}", f"Last{index}", "UTC", "en"))
        world.preferences.append(
            (user_id, rng.choice((15, 30, 60)), rng.choice(DIFFICULTIES), [], True, False)
        )


def _paths(scale: Scale, rng: random.Random, new_id: _Ids, world: World) -> None:
    ids = world.concept_ids
    for index in range(scale.paths):
        path_id = new_id()
        world.paths.append(
            (
                path_id,
                f"Path {index:04d}",
                f"Synthetic path {index}",
                "bench",
                rng.choice(DIFFICULTIES),
                30.0,
                "learners",
            )
        )
        start = rng.randrange(0, scale.concepts - 30)
        for order in range(30):
            world.items.append((path_id, ids[start + order], order, order % 5 != 4))


def _progress(scale: Scale, rng: random.Random, new_id: _Ids, world: World) -> None:
    ids = world.concept_ids
    per_user = min(scale.progress_per_user, scale.concepts)
    path_ids = [row[0] for row in world.paths]
    for user_id in (row[0] for row in world.users):
        start = rng.randrange(0, scale.concepts)
        for step in range(per_user):
            concept = ids[(start + step) % scale.concepts]
            done = step < per_user * 0.7
            status = ("mastered" if step % 4 == 0 else "completed") if done else "in_progress"
            updated = NOW - timedelta(days=rng.randrange(0, 60), seconds=rng.randrange(86_400))
            percent = 100.0 if done else float(rng.randrange(5, 95))
            world.progress.append(
                (
                    user_id,
                    concept,
                    status,
                    percent,
                    round(rng.uniform(0, 1), 2),
                    rng.randrange(60, 3600),
                    updated if done else None,
                    updated,
                )
            )
        for path_id in rng.sample(path_ids, min(2, len(path_ids))):
            world.enrollments.append(
                (user_id, path_id, "in_progress", float(rng.randrange(0, 100)))
            )
        for day in range(5):
            started = NOW - timedelta(days=day, hours=rng.randrange(0, 12))
            seconds = rng.randrange(300, 3600)
            ended = started + timedelta(seconds=seconds)  # finished: one open session at most
            world.sessions.append(
                (new_id(), user_id, ids[start], started, ended, seconds, "progress")
            )


def generate(scale: Scale, seed: int = 7) -> World:
    """The same world for the same scale and seed, every time."""
    rng = random.Random(seed)
    new_id = _Ids(rng)
    world = World()
    world.concepts = _concepts(scale, rng, new_id)
    world.relations = _relations(scale, rng, new_id, world.concept_ids)
    _people(scale, rng, new_id, world)
    _paths(scale, rng, new_id, world)
    _progress(scale, rng, new_id, world)
    return world


def _copy(cursor: psycopg.Cursor[Any], table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load_sql(database_url: str, world: World) -> None:
    """Write the world with COPY, one table after the other, in one transaction."""
    tables = (
        ("users", world.users),
        ("profiles", world.profiles),
        ("learning_preferences", world.preferences),
        ("concepts", world.concepts),
        ("concept_relations", world.relations),
        ("learning_paths", world.paths),
        ("learning_path_items", world.items),
        ("concept_progress", world.progress),
        ("path_enrollments", world.enrollments),
        ("learning_sessions", world.sessions),
    )
    with psycopg.connect(libpq_url(database_url)) as connection, connection.cursor() as cursor:
        for table, rows in tables:
            _copy(cursor, table, rows)
        cursor.execute("ANALYZE")
