"""Shared pieces of the paged, sorted, searchable lists (accounts, contacts).

Searching fast (FTS5 mode): the number of matches is counted first (cheap in FTS5). A *small*
match set (≤ :data:`SMALL_MATCH_SET`) drives the query: the matching rows are looked up by
rowid and sorted (a few thousand at most). A *large* one (a one-letter prefix matches most
rows) is turned around: the sort index is walked in order and each row is tested against the
materialized match set, so a page stops after ``limit`` hits instead of sorting them all.

Sorting by a joined name (an account's owner, a contact's account) walks the parent table's
name index and each parent's children through their own index (:func:`cross_join` pins that
join order). Children whose parent is not in the local file (it may arrive later in a sync)
cannot be found that way; :func:`fetch_page_with_orphans` lists them after all the others.

A list (:class:`ChildList`: rows of a table with their parent's name) pages with
:func:`list_page` and counts with :func:`count_live`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Join,
    Row,
    Select,
    Table,
    and_,
    column,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import UnaryExpression

from ..collation import name_key
from ..search import SearchMode, fts5_query, like_patterns, search_mode, search_terms

#: Above this many matches a search walks the sort index instead of sorting the matches.
SMALL_MATCH_SET = 3000
MAX_PAGE_SIZE = 10_000


def ids_in(column: ColumnElement[Any], ids: Sequence[str]) -> ColumnElement[bool]:
    """``column IN (ids)`` with the ids as one JSON parameter, however many there are (SQLite
    reads them with ``json_each``; no limit on bound variables)."""
    values = func.json_each(json.dumps(list(ids))).table_valued("value")
    return column.in_(select(values.c.value))


def check_paging(*, offset: int, limit: int) -> None:
    """Reject a negative offset or a limit outside 0..MAX_PAGE_SIZE with a clear message."""
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be a whole number ≥ 0, got {offset!r}")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be a whole number from 0 to {MAX_PAGE_SIZE}, got {limit!r}")


def check_sort(sort: str, keys: Sequence[str]) -> None:
    if sort not in keys:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {', '.join(keys)}")


def ordered(
    columns: Sequence[ColumnElement[Any]], *, descending: bool
) -> list[UnaryExpression[Any]]:
    return [col.desc() if descending else col.asc() for col in columns]


@dataclass(frozen=True)
class SearchFilter:
    """The WHERE clause for a search and what is known about its match set."""

    clause: ColumnElement[bool]
    #: the matches are few enough to look up and sort (always False without FTS5)
    small: bool
    #: exact number of matches in the whole index (FTS5 mode only), before other filters
    matches: int | None = None


NO_SEARCH = SearchFilter(true(), small=False)


def search_filter(
    session: Session, *, table: Table, fts_table: str, query: str | None
) -> SearchFilter:
    """The condition restricting ``table`` to rows matching ``query`` (all terms, prefixes)."""
    terms = search_terms(query)
    if not terms:
        return NO_SEARCH
    if search_mode(session) is SearchMode.FALLBACK:
        clauses = [table.c.search_text.like(pattern) for pattern in like_patterns(terms)]
        return SearchFilter(and_(*clauses), small=False)
    match = fts5_query(terms)
    count_sql = text(f"SELECT count(*) FROM {fts_table} WHERE {fts_table} MATCH :match")
    matches = int(session.execute(count_sql, {"match": match}).scalar_one())
    matching_rowids = (
        text(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH :match")
        .bindparams(match=match)
        .columns(column("rowid", Integer))
    )
    if matches <= SMALL_MATCH_SET:
        rowid = literal_column(f"{table.name}.rowid", Integer)
        return SearchFilter(rowid.in_(matching_rowids), small=True, matches=matches)
    # "+rowid" keeps SQLite from driving the query by the IN list: it walks the sort index.
    plus_rowid = literal_column(f"+{table.name}.rowid", Integer)
    return SearchFilter(plus_rowid.in_(matching_rowids), small=False, matches=matches)


class _CrossJoin(Join):
    """An inner join that SQLite must run in the written order (``CROSS JOIN ... ON``)."""

    inherit_cache = True


@compiles(_CrossJoin, "sqlite")
def _compile_cross_join(element: _CrossJoin, compiler: SQLCompiler, **kw: Any) -> str:
    kw["asfrom"] = True
    left = compiler.process(element.left, **kw)
    right = compiler.process(element.right, **kw)
    on_kw = {k: v for k, v in kw.items() if k != "asfrom"}
    assert element.onclause is not None
    return f"{left} CROSS JOIN {right} ON {compiler.process(element.onclause, **on_kw)}"


def cross_join(outer: Table, inner: Table, onclause: ColumnElement[bool]) -> Join:
    """``outer CROSS JOIN inner ON onclause``: SQLite loops over ``outer`` first."""
    return _CrossJoin(outer, inner, onclause)


def fetch_page_with_orphans(
    session: Session,
    *,
    joined: Select[Any],
    orphans: Select[Any],
    offset: int,
    limit: int,
) -> list[Row[Any]]:
    """A page over ``joined`` rows followed by ``orphans`` rows (both already ordered).

    The joined part is counted only when the page starts past its end.
    """
    rows = list(session.execute(joined.offset(offset).limit(limit)))
    if len(rows) == limit:
        return rows
    if rows:
        orphan_offset = 0
    else:
        joined_total = session.execute(
            select(func.count()).select_from(joined.order_by(None).subquery())
        ).scalar_one()
        orphan_offset = offset - int(joined_total)
    rows.extend(session.execute(orphans.offset(orphan_offset).limit(limit - len(rows))))
    return rows


@dataclass(frozen=True)
class ChildList:
    """A list of ``child`` rows, each with the name of its ``parent`` row (``None`` while
    that row is not here): accounts with their owner's name, contacts with their account's.

    ``select_rows`` makes the list's SELECT given the column that names the parent.
    """

    child: Table
    parent: Table
    parent_id: ColumnElement[Any]
    fts_table: str
    select_rows: Callable[[ColumnElement[Any]], Select[Any]]

    def search(self, session: Session, search: str | None) -> SearchFilter:
        return search_filter(session, table=self.child, fts_table=self.fts_table, query=search)


def list_page(
    session: Session,
    rows: ChildList,
    *,
    search: str | None,
    filters: Sequence[ColumnElement[bool]],
    order: Sequence[ColumnElement[Any]],
    parent_walk: Sequence[ColumnElement[Any]] | None,
    descending: bool,
    offset: int,
    limit: int,
) -> list[Row[Any]]:
    """One page of live rows matching ``search`` and ``filters``.

    Sorted by the parent's name (``parent_walk``: then by these child columns), a page walks
    the parents' name index unless the search matches few rows; otherwise (or then) the rows
    come in ``order``.
    """
    check_paging(offset=offset, limit=limit)
    found = rows.search(session, search)
    if found.matches == 0 or limit == 0:
        return []
    child, parent = rows.child, rows.parent
    where = [found.clause, child.c.deleted_at.is_(None), *filters]
    with_parent = child.outerjoin(parent, parent.c.id == rows.parent_id)
    if parent_walk is not None and not found.small:
        joined = (
            rows.select_rows(parent.c.name)
            .select_from(cross_join(parent, child, rows.parent_id == parent.c.id))
            .where(*where)
            .order_by(
                *ordered(
                    [name_key(parent.c.name), parent.c.id, *parent_walk], descending=descending
                )
            )
        )
        orphans = (
            rows.select_rows(literal(None))
            .select_from(with_parent)
            .where(parent.c.id.is_(None), *where)
            .order_by(*ordered(parent_walk, descending=descending))
        )
        return fetch_page_with_orphans(
            session, joined=joined, orphans=orphans, offset=offset, limit=limit
        )
    query = (
        rows.select_rows(parent.c.name)
        .select_from(with_parent)
        .where(*where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    return list(session.execute(query))


def count_live(
    session: Session,
    table: Table,
    *,
    found: SearchFilter,
    filters: Sequence[ColumnElement[bool]],
    cap: int | None,
) -> int:
    """How many live rows of ``table`` match the search ``found`` and ``filters`` (at most
    ``cap``). Without other filters the full-text index's count is the answer (it holds
    live rows only)."""
    if found.matches == 0:
        return 0
    if found.matches is not None and not filters:
        return found.matches if cap is None else min(found.matches, cap)
    inner = select(table.c.id).where(found.clause, table.c.deleted_at.is_(None), *filters)
    if cap is not None:
        inner = inner.limit(cap)
    return int(session.execute(select(func.count()).select_from(inner.subquery())).scalar_one())
