"""New records written in bulk, with the derived tables brought up to date once per transaction.

Triggers keep the derived tables right on every write (the search index, the visit summary and
due days, pending follow-ups, the value and segment caches and their change log, the monthly
visit counts). Written one row at a time, that is most of the cost of a first sync: on
100,000 records the triggers took about three times as long as the rows themselves. Most of
it is the search index: each row's statement opens a savepoint, and FTS5 writes its pending
terms to disk at every savepoint, so each record became a segment of its own to merge.

:class:`BulkInsert` writes records that are *new* (not in the table yet) with plain
``INSERT``\\ s while the tables' ``AFTER INSERT`` triggers are dropped, then :meth:`settle`
does what those triggers would have done, for all the new rows of the transaction at once (a
set-based statement per derived table), and creates the triggers again from their own stored
text. Everything happens in the caller's transaction: DDL is transactional in SQLite, so a
crash or an error before the commit leaves the triggers, the rows and the derived tables as
they were, and other connections never see the triggers missing.

The new rows of a table are the ones past the largest ``rowid`` it had when its triggers
were dropped (SQLite gives a new row the largest ``rowid`` plus one). Only new rows are
written while triggers are dropped; :meth:`settle` must run before anything else writes these
tables (an update fires the update triggers, which read what the insert triggers keep).

A test writes random records both ways and compares every derived table
(``tests/store/test_bulk_insert.py``); another checks that :data:`DEFERRED` names every
insert trigger of these tables, so a migration that adds one cannot be skipped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from .search import SearchMode, index_accounts, index_contacts, search_mode

#: Per table, the ``AFTER INSERT`` triggers whose work :meth:`BulkInsert.settle` does. The
#: search triggers are deferred only where the search is FTS5 (the fallback's keep a column
#: of the row itself, cheaply).
DEFERRED: dict[str, tuple[str, ...]] = {
    "accounts": ("accounts_search_ai", "accounts_value_ai", "accounts_due_ai"),
    "contacts": ("contacts_search_ai",),
    "visits": (
        "visits_summary_ai",
        "visits_follow_ups_ai",
        "visits_value_ai",
        "visits_month_ai",
    ),
    "opportunities": ("opportunities_value_ai", "opportunities_segment_ai"),
}
#: Below this many new rows of a table at once, its triggers cost less than dropping and
#: creating them again (and a commit that changes the schema makes every connection read it
#: again): small pulls keep the triggers.
BULK_MIN_ROWS = 500
#: The search triggers (kept where the search is the fallback).
SEARCH_TRIGGERS = frozenset({"accounts_search_ai", "contacts_search_ai"})
#: Fired by the visit summary's writes; :meth:`BulkInsert.settle` computes the due days of
#: every account it touched once instead.
SUMMARY_TRIGGERS = ("visit_summary_due_ai", "visit_summary_due_au")

# --- what the triggers do, for every new row at once ----------------------------------------

#: Contacts written before their (new) account, whose search row holds no account name yet.
_CONTACTS_OF_NEW_ACCOUNTS = (
    "SELECT a.name, c.rowid FROM accounts a JOIN contacts c ON c.account_id = a.id "
    "WHERE a.rowid > ? AND c.rowid <= ? AND c.deleted_at IS NULL"
)
_CONTACT_SEARCH_NAME = "UPDATE contacts_fts SET account_name = ? WHERE rowid = ?"
_NEW_ACCOUNTS_LOGGED = (
    "INSERT INTO account_value_changes (account_id) SELECT id FROM accounts WHERE rowid > ? "
    "ORDER BY rowid"
)
#: The value table's "whole table" row: any new record of an account makes it stale.
_WHOLE_VALUE_ROW = "DELETE FROM account_value_cache WHERE account_id = ''"
_VALUES_OF = "DELETE FROM account_value_cache WHERE account_id IN (SELECT account_id FROM {table} WHERE rowid > ?)"
_SEGMENTS_OF_OPPORTUNITIES = (
    "DELETE FROM account_segment_cache WHERE account_id IN ("
    "SELECT account_id FROM opportunities WHERE rowid > ? "
    "UNION SELECT q.account_id FROM quotes q JOIN opportunities o ON q.opportunity_id = o.id "
    "WHERE o.rowid > ?)"
)
_DONE_AT = "coalesce(checked_in_at, planned_start)"
_VISIT_SUMMARY = (
    "INSERT INTO account_visit_summary (account_id, last_done_at, next_planned_at) "
    f"SELECT t.account_id, (SELECT max({_DONE_AT}) FROM visits WHERE account_id = t.account_id "
    "AND status = 'done' AND deleted_at IS NULL), (SELECT min(planned_start) FROM visits "
    "WHERE account_id = t.account_id AND status = 'planned' AND deleted_at IS NULL) "
    "FROM (SELECT DISTINCT account_id FROM visits WHERE rowid > ?) AS t WHERE true "
    "ON CONFLICT (account_id) DO UPDATE SET last_done_at = excluded.last_done_at, "
    "next_planned_at = excluded.next_planned_at"
)
#: The visits a new visit changes the pending state of: itself and the one it follows up.
_FOLLOW_UP_KEYS = (
    "SELECT id FROM visits WHERE rowid > ? "
    "UNION SELECT follow_up_of_id FROM visits WHERE rowid > ? AND follow_up_of_id IS NOT NULL"
)
_PENDING = (
    "v.status = 'done' AND v.follow_up_date IS NOT NULL AND v.deleted_at IS NULL "
    "AND v.owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM visits f "
    "WHERE f.follow_up_of_id = v.id AND f.deleted_at IS NULL)"
)
_FOLLOW_UPS_CLEARED = f"DELETE FROM pending_follow_ups WHERE visit_id IN ({_FOLLOW_UP_KEYS})"
_FOLLOW_UPS = (
    "INSERT INTO pending_follow_ups (visit_id, owner_id, follow_up_date) "
    f"SELECT v.id, v.owner_id, v.follow_up_date FROM visits v WHERE v.id IN ({_FOLLOW_UP_KEYS}) "
    f"AND {_PENDING}"
)
_MONTH_COUNTS = (
    "INSERT INTO visit_month_counts (owner_id, month, done, with_outcome) "
    "SELECT owner_id, substr(planned_start, 1, 7), count(*), "
    "sum(outcome IS NOT NULL AND trim(outcome) != '') FROM visits "
    "WHERE rowid > ? AND deleted_at IS NULL AND status = 'done' "
    "AND kind IN ('visit', 'meeting') AND planned_start IS NOT NULL "
    "GROUP BY owner_id, substr(planned_start, 1, 7) "
    "ON CONFLICT (owner_id, month) DO UPDATE SET done = done + excluded.done, "
    "with_outcome = with_outcome + excluded.with_outcome"
)
#: The catalog's default cadence as migration 0022 wrote it into the due-day triggers.
_DEFAULT_CADENCE = 30
_TIER_CADENCE = f"(s.last_done_at IS NOT NULL AND a.visit_cadence_days = {_DEFAULT_CADENCE})"
_DAY = (
    "coalesce(CASE WHEN s.last_done_at IS NULL THEN date(a.created_at) "
    f"WHEN {_TIER_CADENCE} THEN date(s.last_done_at) "
    "ELSE date(s.last_done_at, '+' || a.visit_cadence_days || ' days') END, '')"
)
_NOTHING_PLANNED = 999_999
_PLANNED_IN = (
    f"coalesce(CAST(julianday(date(s.next_planned_at)) - julianday({_DAY}) AS INTEGER), "
    f"{_NOTHING_PLANNED})"
)
#: Accounts whose due day may have changed: the new ones and those of new visits.
_DUE_KEYS = (
    "SELECT id FROM accounts WHERE rowid > ? UNION SELECT account_id FROM visits WHERE rowid > ?"
)
_DUE_CLEARED = f"DELETE FROM account_visit_due WHERE account_id IN ({_DUE_KEYS})"
_DUE = (
    "INSERT INTO account_visit_due (owner_id, tier_cadence, day, planned_in, account_id, name, "
    "city, cadence_days, created_at, last_done_at, next_planned_at) "
    f"SELECT a.owner_id, {_TIER_CADENCE}, {_DAY}, {_PLANNED_IN}, a.id, a.name, a.city, "
    "a.visit_cadence_days, a.created_at, s.last_done_at, s.next_planned_at "
    "FROM accounts a LEFT JOIN account_visit_summary s ON s.account_id = a.id "
    f"WHERE a.deleted_at IS NULL AND a.visit_cadence_days > 0 AND a.id IN ({_DUE_KEYS})"
)


@dataclass
class BulkInsert:
    """Plain inserts of new records with their tables' insert triggers deferred to
    :meth:`settle`, in ``session``'s open transaction (see the module)."""

    session: Session
    #: a table's rows go through here only from this many at once (None: :data:`BULK_MIN_ROWS`)
    min_rows: int | None = None
    #: deferred table -> the largest rowid it had before
    _marks: dict[str, int] = field(default_factory=dict)
    #: dropped trigger -> its stored SQL
    _dropped: dict[str, str] = field(default_factory=dict)
    _fts: bool | None = None

    @property
    def active(self) -> bool:
        """Triggers are dropped: :meth:`settle` must run before the commit."""
        return bool(self._marks)

    def takes(self, table: str, count: int) -> bool:
        """Whether ``count`` new rows of ``table`` are worth inserting here."""
        least = BULK_MIN_ROWS if self.min_rows is None else self.min_rows
        return table in DEFERRED and (table in self._marks or count >= least)

    def insert(self, table: str, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert ``rows`` with ``sql`` (a plain ``INSERT``: a row that exists fails, and the
        caller's transaction with it) after dropping ``table``'s deferred triggers."""
        if table not in self._marks:
            self._defer(table)
        self._run(sql, list(rows))

    def settle(self) -> None:
        """Bring every derived table up to date for the new rows, and create the dropped
        triggers again (nothing to do when none were dropped)."""
        if not self._marks:
            return
        marks = self._marks
        if "visits" in marks or "accounts" in marks:
            self._drop(SUMMARY_TRIGGERS)  # the due days are computed once, below
        if marks.keys() - {"contacts"}:
            self._run(_WHOLE_VALUE_ROW)  # any new account, visit or deal makes it stale
        fts = self._search_is_fts()
        if "accounts" in marks:
            self._settle_accounts(marks["accounts"], fts)
        if "contacts" in marks and fts:
            index_contacts(self.session, marks["contacts"])
        if "visits" in marks:
            self._settle_visits(marks["visits"])
        if "accounts" in marks or "visits" in marks:
            keys = (self._mark("accounts"), self._mark("visits"))
            self._run(_DUE_CLEARED, keys)
            self._run(_DUE, keys)
        if "opportunities" in marks:
            opportunities = marks["opportunities"]
            self._run(_VALUES_OF.format(table="opportunities"), (opportunities,))
            self._run(_SEGMENTS_OF_OPPORTUNITIES, (opportunities, opportunities))
        for sql in self._dropped.values():
            self._run(sql)
        self._marks, self._dropped = {}, {}

    def _settle_accounts(self, accounts: int, fts: bool) -> None:
        if fts:
            index_accounts(self.session, accounts)
            named = self._run(_CONTACTS_OF_NEW_ACCOUNTS, (accounts, self._mark("contacts")))
            rows = [tuple(row) for row in named]
            if rows:
                self._run(_CONTACT_SEARCH_NAME, rows)
        self._run(_NEW_ACCOUNTS_LOGGED, (accounts,))

    def _settle_visits(self, visits: int) -> None:
        self._run(_VISIT_SUMMARY, (visits,))
        self._run(_FOLLOW_UPS_CLEARED, (visits, visits))
        self._run(_FOLLOW_UPS, (visits, visits))
        self._run(_VALUES_OF.format(table="visits"), (visits,))
        self._run(_MONTH_COUNTS, (visits,))

    def _mark(self, table: str) -> int:
        """Rows of ``table`` past this are new: its mark, or (not deferred) its last row."""
        mark = self._marks.get(table)
        return self._max_rowid(table) if mark is None else mark

    def _run(self, sql: str, params: Any = ()) -> Any:
        return self.session.connection().exec_driver_sql(sql, params)

    # --- internals ------------------------------------------------------------------------

    def _defer(self, table: str) -> None:
        fts = self._search_is_fts()
        names = [n for n in DEFERRED[table] if fts or n not in SEARCH_TRIGGERS]
        self._marks[table] = self._max_rowid(table)
        self._drop(names)

    def _drop(self, names: Sequence[str]) -> None:
        for name in names:
            if name in self._dropped:
                continue
            found = self._run(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
            ).first()
            if found is None:
                continue  # not there: nothing to create again
            self._dropped[name] = found[0]
            self._run(f'DROP TRIGGER "{name}"')

    def _search_is_fts(self) -> bool:
        if self._fts is None:
            self._fts = search_mode(self.session) is SearchMode.FTS5
        return self._fts

    def _max_rowid(self, table: str) -> int:
        found = self._run(f'SELECT max(rowid) FROM "{table}"').scalar()
        return int(found) if found is not None else 0
