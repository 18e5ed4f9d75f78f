"""Declarative base and the column shapes every table shares."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import DateTime, Integer, MetaData, Uuid, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["UNVERSIONED", "Base", "Versioned", "new_id", "none_of", "one_of", "utcnow_column"]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Column info of data kept beside an entity rather than part of it (a sign-in stamp, a password
# hash): writing only such columns moves neither the row's version nor the graph
# (persistence/sql/bookkeeping.py).
UNVERSIONED = {"unversioned": True}


def one_of(column: str, values: Iterable[str]) -> str:
    """A check constraint's text: the column holds one of the values (a domain enum's words),
    `status IN ('pending', 'failed')`."""
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def none_of(column: str, values: Iterable[str]) -> str:
    """`status NOT IN ('completed', 'dead')`: the column holds none of the values."""
    return f"{column} NOT IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class Versioned:
    """A row mirrored to the graph: an id and a version that grows on every change."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    created_at: Mapped[datetime] = utcnow_column()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )
