"""The unit of work's bookkeeping: however a row is written, its version moves and the graph
hears of it, so no write path can forget either.

- An ORM flush: a changed versioned row gets version + 1 (once per unit of work; a row whose
  version the code set itself keeps it), and every mirrored row inserted, changed or deleted
  records its event.
- An INSERT, UPDATE or DELETE statement run through the session: an UPDATE of a versioned
  table also sets version + 1, unless it sets the version itself. On a mirrored table the
  statement returns the rows' keys and versions too (added to its RETURNING, out of the
  caller's sight) and each row it wrote records its event; an INSERT whose ON CONFLICT updated
  the row (version > 1) records an update.
- A delete, either way, also records the delete of every mirrored row the database cascades to.
- A statement on a mirror's link table (a path's items) returns the owners it changed; the
  commit is refused unless each records an event of its own (persistence/sql/link_watch.py).

Columns marked UNVERSIONED (models/base.py) are not changes of their row. A statement run with
the execution option EXEMPT is left alone: it chooses its version and records its event itself.
Text SQL cannot be seen through, so text that writes a table of the models is refused
(HiddenWrite): such rows are written with ORM or Core statements, which are seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, ForeignKey, Table, TextClause, event, inspect, select
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql.dml import Delete, Update, UpdateBase

from persistence.sql.link_watch import LinkWatch
from persistence.sql.models.base import Base

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.engine import Result
    from sqlalchemy.orm import Mapper, ORMExecuteState, Session, UOWTransaction

    from domain.events import ChangeEvent
    from persistence.sql.tracking import Change, Tracked, Tracking

__all__ = ["EXEMPT", "Bookkeeper", "HiddenWrite", "touch"]

EXEMPT = "bookkeeping_exempt"
LABEL = "bookkeeping_"
Match = Callable[[ForeignKey], ColumnElement[bool]]
# The table each INSERT, UPDATE, DELETE or TRUNCATE of a text statement names ("FOR UPDATE OF"
# and "DO UPDATE SET" name none).
WRITTEN_TABLE = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?"
    r"(?:\"?\w+\"?\.)?\"?(\w+)",  # an optional schema, then the table
    re.IGNORECASE,
)


class HiddenWrite(Exception):  # noqa: N818  # names what it refuses, like the other refusals
    """Text SQL in a unit of work writes a table of the models: its rows would skip their
    version and their events."""


def touch(row: object) -> None:
    """Marks a row changed when what changed lies outside its own columns (the rows linked to
    it, its children) or when a write keeps every value: its version moves, the graph hears."""
    flag_modified(row, "version")


class Bookkeeper:
    """Attached to one unit of work's session; hands each change event to `record`."""

    def __init__(self, tracking: Tracking, record: Callable[[ChangeEvent], None]) -> None:
        self._tracking = tracking
        self._record = record
        self.links = LinkWatch(tracking)
        self._settled: set[Any] = set()  # identity keys whose version this work has moved
        self._bumped: list[Any] = []  # rows the flush under way changes

    def attach(self, session: Session) -> None:
        """Listens on this one session (a unit of work's session class calls the hooks itself:
        listening per session is costly)."""
        event.listen(session, "before_flush", self.before_flush)
        event.listen(session, "after_flush", self.after_flush)
        event.listen(session, "do_orm_execute", self.on_statement)

    def before_flush(self, session: Session, context: UOWTransaction, instances: object) -> None:
        self._bumped = [row for row in session.dirty if self._bump(row)]
        with session.no_autoflush:
            for row in session.deleted:
                tracked = self._tracking.get(type(row))
                if tracked is not None:
                    self._cascade(session, tracked.model, _of_row(row))

    def _bump(self, row: Any) -> bool:
        """Moves a changed row's version; True when the row changed (and is versioned)."""
        state = inspect(row)
        mapper = state.mapper
        if "version" not in mapper.columns or state.key in self._settled:
            return False
        touched = set(state.attrs.keys()) - state.unmodified
        if touched and touched <= unversioned(mapper):
            return False
        self._settled.add(state.key)
        history = state.attrs.version.history
        if not (history.deleted and list(history.added) != list(history.deleted)):
            row.version = row.version + 1
        return True

    def after_flush(self, session: Session, context: UOWTransaction) -> None:
        for row in session.new:
            self._settled.add(inspect(row).mapper.identity_key_from_instance(row))
            self._record_row("created", row)
        for row in self._bumped:
            self._record_row("updated", row)
        for row in session.deleted:
            self._record_row("deleted", row)
        self._bumped = []

    def _record_row(self, change: Change, row: Any) -> None:
        tracked = self._tracking.get(type(row))
        if tracked is not None:
            self._record(tracked.event(change, tracked.values_of(row)))

    def _cascade(self, session: Session, model: Any, match: Match) -> None:
        """Records the delete of every mirrored row the database cascades to from `model`'s
        rows that `match` picks, and from theirs in turn."""
        for child, foreign_key in self._children(model.__table__):
            columns = child.columns()
            labelled = [column.label(name) for name, column in columns.items()]
            query = select(*labelled).where(match(foreign_key))
            found = [dict(values) for values in session.execute(query).mappings()]
            for values in found:
                self._record(child.event("deleted", values))
            if found:
                self._cascade(session, child.model, _of_values(found))

    def _children(self, table: Table) -> Iterable[tuple[Tracked, ForeignKey]]:
        for tracked in self._tracking.values():
            for foreign_key in tracked.model.__table__.foreign_keys:
                cascades = (foreign_key.ondelete or "").upper() == "CASCADE"
                if cascades and foreign_key.column.table is table:
                    yield tracked, foreign_key

    def on_statement(self, state: ORMExecuteState) -> Result[Any] | None:
        """Runs an INSERT, UPDATE or DELETE of a mapped table with its bookkeeping; None lets
        SQLAlchemy run any other statement as it is."""
        if isinstance(state.statement, TextClause) and not state.execution_options.get(EXEMPT):
            refuse_hidden_writes(state.statement)
        linked = _links_written(state, self.links)
        if linked is not None:
            return _linking(state, self.links, *linked)
        statement, model = _written(state)
        if statement is None:
            return None
        if isinstance(statement, Update):
            if only_unversioned(statement, model):
                return None
            statement = with_version_bump(statement, model)
        tracked = self._tracking.get(model)
        if tracked is None:
            changed = statement is not state.statement
            return _invoke(state, statement) if changed else None
        if isinstance(statement, Delete):
            self._cascade(state.session, model, _of_statement(statement))
        return self._returning(state, statement, tracked)

    def _returning(
        self, state: ORMExecuteState, statement: UpdateBase, tracked: Tracked
    ) -> Result[Any]:
        """Runs the statement returning what the events need too, records them, and gives the
        caller only the columns it asked for."""
        columns = tracked.columns()
        labelled = [column.label(LABEL + name) for name, column in columns.items()]
        frozen = _invoke(state, statement.returning(*labelled)).freeze()
        change = "deleted" if state.is_delete else "updated" if state.is_update else None
        for row in frozen():
            values = {name: row._mapping[LABEL + name] for name in columns}
            self._record(tracked.event(change or _inserted(values), values))
        return _as_asked(frozen(), extra=len(labelled))


def _invoke(state: ORMExecuteState, statement: UpdateBase) -> Result[Any]:
    """Runs the statement in the caller's place. A session holding no objects has none to
    bring up to date, so SQLAlchemy is told not to work out which ones the statement matched
    (its default compiles the WHERE into a Python evaluator for every new statement)."""
    if state.session.identity_map or "synchronize_session" in state.execution_options:
        return state.invoke_statement(statement=statement)
    options = {"synchronize_session": False}
    return state.invoke_statement(statement=statement, execution_options=options)


def _as_asked(replay: Result[Any], *, extra: int) -> Result[Any]:
    """The result with only the caller's own RETURNING, which comes before the `extra`
    columns the bookkeeping added."""
    shown = len(replay.keys()) - extra
    return replay.columns(*range(shown)) if shown else replay


def _links_written(
    state: ORMExecuteState, links: LinkWatch
) -> tuple[UpdateBase, Column[Any], Tracked] | None:
    """The statement, when it writes a mirror's link table, with the table's owner column and
    how its owner is tracked; None for any other statement or one left to its writer."""
    statement = state.statement
    if state.execution_options.get(EXEMPT) or not isinstance(statement, UpdateBase):
        return None
    linked = links.owner_of(statement.table)
    return (statement, *linked) if linked is not None else None


def _linking(
    state: ORMExecuteState,
    links: LinkWatch,
    statement: UpdateBase,
    owner: Column[Any],
    tracked: Tracked,
) -> Result[Any]:
    """Runs a write of a link table returning the owners it changed, which `links` holds to
    their events."""
    labelled = owner.label(LABEL + "owner")
    frozen = _invoke(state, statement.returning(labelled)).freeze()
    links.changed(tracked, owner.table.name, {row._mapping[labelled.name] for row in frozen()})
    return _as_asked(frozen(), extra=1)


def _written(state: ORMExecuteState) -> tuple[UpdateBase | None, Any]:
    """The INSERT, UPDATE or DELETE the session runs and its table's model; (None, None) for
    anything else, a statement left to its writer (EXEMPT) or an association table."""
    statement = state.statement
    if state.execution_options.get(EXEMPT) or not isinstance(statement, UpdateBase):
        return None, None
    model = model_of(statement.table)
    return (statement, model) if model is not None else (None, None)


def _inserted(values: Mapping[str, Any]) -> Change:
    """An INSERT made the row, unless its ON CONFLICT updated one (its version moved past 1)."""
    return "updated" if (values.get("version") or 1) > 1 else "created"


def _of_row(row: Any) -> Match:
    return lambda foreign_key: foreign_key.parent == getattr(row, foreign_key.column.key)


def _of_values(found: Iterable[Mapping[str, Any]]) -> Match:
    return lambda foreign_key: foreign_key.parent.in_(
        [values[foreign_key.column.key] for values in found]
    )


def _of_statement(statement: Delete) -> Match:
    def match(foreign_key: ForeignKey) -> ColumnElement[bool]:
        doomed = select(foreign_key.column)
        if statement.whereclause is not None:
            doomed = doomed.where(statement.whereclause)
        return foreign_key.parent.in_(doomed)

    return match


@cache
def _models() -> dict[Any, Any]:
    return {mapper.local_table: mapper.class_ for mapper in Base.registry.mappers}


def model_of(table: Any) -> Any | None:
    """The mapped class of a table a statement writes, or None (an association table)."""
    return _models().get(table)


@cache
def unversioned(mapper: Mapper[Any]) -> frozenset[str]:
    """Attributes whose changes are not changes of their row (UNVERSIONED columns)."""
    return frozenset(
        attribute.key
        for attribute in mapper.column_attrs
        if any(column.info.get("unversioned") for column in attribute.columns)
    )


def set_columns(statement: Update) -> set[str]:
    """The names of the columns an UPDATE's SET clause (values() or ordered_values()) sets.

    SQLAlchemy (2.1) keeps the clause on the statement and has no public reader of it: its
    compiled form mixes in the onupdate and server-side columns and names an expression's
    column only in a bind name. So this one function reads the clause where SQLAlchemy keeps
    it; tests/unit/test_set_columns.py pins every form the code writes, so a release that
    moves it fails there instead of bumping versions wrongly here.
    """
    return {str(getattr(key, "key", key)) for key in statement._values or ()}  # no public reader


def only_unversioned(statement: Update, model: Any) -> bool:
    names = set_columns(statement)
    return bool(names) and names <= unversioned(inspect(model))


def with_version_bump(statement: Update, model: Any) -> Update:
    """The UPDATE, also moving the version of a versioned table unless it sets it itself."""
    if getattr(model, "version", None) is None or "version" in set_columns(statement):
        return statement
    return statement.values(version=_next_version(model))


@cache
def _next_version(model: Any) -> ColumnElement[int]:
    """`version + 1` of a versioned model, built once (the expression is immutable)."""
    bumped: ColumnElement[int] = model.version + 1
    return bumped


def refuse_hidden_writes(statement: TextClause) -> None:
    """Raises HiddenWrite when text SQL writes a table of the models."""
    tables = Base.metadata.tables
    written = sorted({name for name in WRITTEN_TABLE.findall(statement.text) if name in tables})
    if written:
        raise HiddenWrite(
            f"text SQL writes {', '.join(written)}, which the unit of work cannot see: write "
            "it with an insert(), update() or delete() statement, or run it with EXEMPT and "
            "record its events"
        )
