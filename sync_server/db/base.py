"""Declarative base with constraint naming conventions, and the column types all tables share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from sync_server.protocol.constraint_names import NAMING_CONVENTION


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on the Python side, whatever the database keeps.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so the value is stored as
    naive UTC and made aware again when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is not dt.UTC:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


#: 64-bit integer key that still autoincrements on SQLite (which needs ``INTEGER PRIMARY KEY``).
BigIntKey = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UtcDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class WireInstant(FunctionElement[str]):
    """A :class:`UtcDateTime` column read as its wire text (``2026-12-07T03:01:02.123456Z``,
    what :func:`~sync_server.protocol.values.format_datetime` makes of it), written by the
    database: a pull of 100,000 records spent a tenth of the server's time parsing stored
    instants into datetimes only to format them back. NULL stays NULL."""

    type = String()
    inherit_cache = True
    name = "wire_instant"


@compiles(WireInstant, "sqlite")
def _wire_instant_sqlite(element: WireInstant, compiler: Any, **kw: Any) -> str:
    # stored as naive UTC text with microseconds: "2026-12-07 03:01:02.123456"
    (column,) = element.clauses
    return f"(replace({compiler.process(column, **kw)}, ' ', 'T') || 'Z')"


@compiles(WireInstant, "postgresql")
def _wire_instant_postgresql(element: WireInstant, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    text = compiler.process(column, **kw)
    return f"""to_char({text} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
