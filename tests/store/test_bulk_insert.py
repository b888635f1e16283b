"""``store.bulk_insert``: new records written with their insert triggers dropped, and the
derived tables brought up to date once (:meth:`BulkInsert.settle`), leave exactly what the
triggers leave — the search index, visit summaries, due days, pending follow-ups, monthly
counts, the value and segment caches and the value change log — and the triggers exactly as
they were, also when the transaction fails half-way."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfa_desktop.store import bulk_insert
from sfa_desktop.store.bulk_insert import DEFERRED, SEARCH_TRIGGERS, SUMMARY_TRIGGERS, BulkInsert
from sfa_desktop.store.database import open_database
from sfa_desktop.sync import local_records

STAMP = "2026-11-25T08:30:00.000000Z"
OWNERS = ("owner-a", "owner-b")
#: the records present before the batch (written through the triggers)
OLD_ACCOUNTS = tuple(f"old-account-{n}" for n in range(4))
OLD_VISITS = tuple(f"old-visit-{n}" for n in range(4))
OLD_OPPORTUNITIES = tuple(f"old-opportunity-{n}" for n in range(2))


@pytest.fixture(scope="module", params=["fts5", "fallback"])
def template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty profile of each search kind, with a few records written the usual way."""
    path = tmp_path_factory.mktemp("bulk") / "template.sqlite3"
    database = open_database(path, use_fts5=request.param == "fts5")
    with database.session() as session:
        _write(session, "account", [_account(n, i) for i, n in enumerate(OLD_ACCOUNTS)])
        _write(session, "visit", [_visit(n, OLD_ACCOUNTS[i], i) for i, n in enumerate(OLD_VISITS)])
        opportunities = [
            _opportunity(n, OLD_ACCOUNTS[i], i) for i, n in enumerate(OLD_OPPORTUNITIES)
        ]
        _write(session, "opportunity", opportunities)
        quote = (
            "INSERT INTO quotes (id, created_at, updated_at, number, account_id, owner_id, "
            "revision, status, currency, opportunity_id) VALUES (?, ?, ?, ?, ?, ?, 1, 'draft', "
            "'EUR', ?)"
        )
        params = ("quote-0", STAMP, STAMP, "Q-1", OLD_ACCOUNTS[3], OWNERS[0], "new-opp-0")
        session.connection().exec_driver_sql(quote, params)
    database.close()
    return path


def _common(record_id: str, deleted: bool) -> dict[str, Any]:
    return {
        "id": record_id,
        "created_at": STAMP,
        "updated_at": STAMP,
        "deleted_at": STAMP if deleted else None,
    }


def _account(record_id: str, n: int, deleted: bool = False) -> dict[str, Any]:
    return {
        **_common(record_id, deleted),
        "name": f"Ferretería Núñez {n}",
        "tax_id": f"B-{n:08d}" if n % 2 else None,
        "city": ("Zaragoza", "Huesca", None)[n % 3],
        "region": "Aragón" if n % 2 else None,
        "country": "ES",
        "owner_id": OWNERS[n % 2],
        "lifecycle_stage": "customer",
        "visit_cadence_days": (None, 14, 30, 60)[n % 4],
    }


def _contact(record_id: str, account: str, n: int, deleted: bool = False) -> dict[str, Any]:
    return {
        **_common(record_id, deleted),
        "account_id": account,
        "first_name": f"Íñigo {n}",
        "last_name": "Pérez",
        "email": f"c{n}@example.es",
        "marketing_consent": False,
    }


def _visit(
    record_id: str,
    account: str,
    n: int,
    *,
    status: str = "done",
    follows: str | None = None,
    deleted: bool = False,
) -> dict[str, Any]:
    return {
        **_common(record_id, deleted),
        "account_id": account,
        "owner_id": OWNERS[n % 2],
        "kind": ("visit", "meeting", "call")[n % 3],
        "planned_start": None
        if n % 7 == 6
        else f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T09:00:00Z",
        "status": status,
        "checked_in_at": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T09:05:00Z"
        if n % 3 == 1
        else None,
        "outcome": ("Pedido", "", "  ", None)[n % 4],
        "follow_up_date": f"2026-12-{1 + n % 28:02d}" if n % 2 else None,
        "follow_up_of_id": follows,
    }


def _opportunity(record_id: str, account: str, n: int, deleted: bool = False) -> dict[str, Any]:
    return {
        **_common(record_id, deleted),
        "account_id": account,
        "owner_id": OWNERS[n % 2],
        "name": f"Riego {n}",
        "stage": ("prospecting", "won", "lost")[n % 3],
        "amount": str(1000 + n),
        "currency": "EUR",
        "forecast_category": "pipeline",
    }


def _row(entity: str, values: dict[str, Any]) -> tuple[Any, ...]:
    return local_records.row_params(entity, values, values["id"])


def _write(session: Any, entity: str, records: list[dict[str, Any]]) -> None:
    local_records.upsert_rows(session, entity, [_row(entity, r) for r in records])


# --- the batch: new records of the four deferred tables, in a random order --------------------

KINDS = st.sampled_from(["account", "contact", "visit", "visit", "opportunity"])
STATUSES = st.sampled_from(["planned", "done", "cancelled"])
batches = st.lists(
    st.tuples(KINDS, st.integers(0, 60), STATUSES, st.integers(0, 9), st.booleans()),
    min_size=1,
    max_size=40,
)


def _records(batch: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """The batch's records, as a pull page holds them (entity, values)."""
    records: list[tuple[str, dict[str, Any]]] = []
    accounts = list(OLD_ACCOUNTS) + [f"new-account-{n}" for n in range(4)]  # some come later
    visits = list(OLD_VISITS)
    for n, (kind, pick, status, link, deleted) in enumerate(batch):
        account = accounts[pick % len(accounts)]
        gone = deleted and pick % 3 == 0
        if kind == "account":
            record_id = f"new-account-{n}"  # 0-3: some of the batch came before it
            records.append(("account", _account(record_id, pick, gone)))
            accounts.append(record_id)
        elif kind == "contact":
            records.append(("contact", _contact(f"new-contact-{n}", account, pick, gone)))
        elif kind == "visit":
            follows = visits[link % len(visits)] if link < 5 else None
            record_id = f"new-visit-{n}"
            values = _visit(record_id, account, pick, status=status, follows=follows, deleted=gone)
            records.append(("visit", values))
            visits.append(record_id)
        else:
            records.append(("opportunity", _opportunity(f"new-opp-{n}", account, pick, gone)))
    return records


def _grouped(records: list[tuple[str, dict[str, Any]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows per entity in order of first appearance (as a bulk page is written)."""
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for entity, values in records:
        grouped.setdefault(entity, []).append(_row(entity, values))
    return grouped


def _seed_caches(connection: sqlite3.Connection) -> None:
    """Cached values and segments of every account (and the whole-table row), to see which
    ones the new records make stale."""
    ids = [""] + list(OLD_ACCOUNTS) + [f"new-account-{n}" for n in range(4)]
    connection.executemany(
        "INSERT INTO account_value_cache (account_id, as_of, value, historic, last_12m, "
        "current_year, growth_potential, cost_to_serve, margin, lifetime_value, retention) "
        "VALUES (?, '2026-11-25', 1, 1, 1, 1, 1, 1, 1, 1, 1.0)",
        [(i,) for i in ids],
    )
    connection.executemany(
        "INSERT INTO account_segment_cache (account_id, as_of, purchases_12m, spend_12m, "
        "spend_prev_12m) VALUES (?, '2026-11-25', 1, '1', '1')",
        [(i,) for i in ids if i],
    )
    connection.execute("DELETE FROM account_value_changes")
    connection.commit()


def snapshot(path: Path) -> dict[str, Any]:
    """Everything the triggers keep, and the triggers themselves."""
    connection = sqlite3.connect(path)
    try:
        found = "SELECT 1 FROM sqlite_master WHERE name = 'accounts_fts'"
        fts = connection.execute(found).fetchone() is not None
        queries = {
            "triggers": "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            "accounts": "SELECT rowid, * FROM accounts ORDER BY rowid",
            "contacts": "SELECT rowid, * FROM contacts ORDER BY rowid",
            "visits": "SELECT rowid, * FROM visits ORDER BY rowid",
            "opportunities": "SELECT rowid, * FROM opportunities ORDER BY rowid",
            "summary": "SELECT * FROM account_visit_summary ORDER BY account_id",
            "due": "SELECT * FROM account_visit_due ORDER BY account_id",
            "follow_ups": "SELECT * FROM pending_follow_ups ORDER BY visit_id",
            "months": "SELECT * FROM visit_month_counts ORDER BY owner_id, month",
            "values": "SELECT account_id FROM account_value_cache ORDER BY 1",
            "segments": "SELECT account_id FROM account_segment_cache ORDER BY 1",
            "value_log": "SELECT DISTINCT account_id FROM account_value_changes ORDER BY 1",
        }
        if fts:
            queries["accounts_fts"] = "SELECT rowid, * FROM accounts_fts ORDER BY rowid"
            queries["contacts_fts"] = "SELECT rowid, * FROM contacts_fts ORDER BY rowid"
            queries["found"] = (
                "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH 'ferreteria' ORDER BY 1"
            )
        return {name: connection.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        connection.close()


def _copies(template: Path) -> Iterator[tuple[Path, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        paths = (Path(folder) / "triggers.sqlite3", Path(folder) / "bulk.sqlite3")
        for path in paths:
            shutil.copy(template, path)
            connection = sqlite3.connect(path)
            _seed_caches(connection)
            connection.close()
        yield paths


def _apply(path: Path, grouped: dict[str, list[tuple[Any, ...]]], *, bulk: bool) -> None:
    database = open_database(path)
    try:
        with database.session() as session:
            writer = BulkInsert(session, min_rows=1) if bulk else None
            for entity, rows in grouped.items():
                local_records.write_rows(session, entity, rows, writer)
            if writer is not None:
                assert writer.active
                writer.settle()
                assert not writer.active
    finally:
        database.close()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=batches)
def test_bulk_inserts_leave_what_the_triggers_leave(template: Path, batch: list[Any]) -> None:
    grouped = _grouped(_records(batch))
    for by_triggers, by_bulk in _copies(template):
        _apply(by_triggers, grouped, bulk=False)
        _apply(by_bulk, grouped, bulk=True)
        assert snapshot(by_bulk) == snapshot(by_triggers)


def test_the_new_rows_of_one_transaction_settle_once(template: Path) -> None:
    """Several batches of one table in one transaction (a pull's pages), then one settle."""
    records = _records([("visit", n, "done", n % 6, False) for n in range(12)])
    rows = [_row(entity, values) for entity, values in records]
    for by_triggers, by_bulk in _copies(template):
        _apply(by_triggers, {"visit": rows}, bulk=False)
        database = open_database(by_bulk)
        with database.session() as session:
            writer = BulkInsert(session, min_rows=1)
            for start in range(0, len(rows), 5):
                local_records.write_rows(session, "visit", rows[start : start + 5], writer)
            writer.settle()
        database.close()
        assert snapshot(by_bulk) == snapshot(by_triggers)


def test_a_failed_transaction_leaves_the_triggers_and_rows_as_they_were(template: Path) -> None:
    before = snapshot(template)
    for _, path in _copies(template):
        expected = snapshot(path)
        database = open_database(path)
        rows = [_row("account", _account("new-account-x", 1))]
        with pytest.raises(Exception, match="UNIQUE"), database.session() as session:
            writer = BulkInsert(session, min_rows=1)
            local_records.write_rows(session, "account", rows, writer)
            assert writer.active
            writer.insert("accounts", local_records._insert_sql("account"), rows)  # again
        database.close()
        assert snapshot(path) == expected
    assert before["triggers"] == snapshot(template)["triggers"]


def test_records_already_here_are_upserted_with_the_triggers(template: Path) -> None:
    """A batch holding one record that is here already goes through the triggers (an update
    fires update triggers), after what was deferred has settled."""
    for by_triggers, by_bulk in _copies(template):
        new = [_row("visit", _visit(f"v-{n}", OLD_ACCOUNTS[0], n)) for n in range(3)]
        again = [_row("visit", _visit(OLD_VISITS[0], OLD_ACCOUNTS[1], 4, status="planned"))]
        for path, bulk in ((by_triggers, False), (by_bulk, True)):
            database = open_database(path)
            with database.session() as session:
                writer = BulkInsert(session, min_rows=1) if bulk else None
                local_records.write_rows(session, "visit", new, writer)
                if writer is not None:
                    assert writer.active
                local_records.write_rows(session, "visit", again + new[:1], writer)
                if writer is not None:
                    assert not writer.active  # settled before the upsert
            database.close()
        assert snapshot(by_bulk) == snapshot(by_triggers)


def test_small_batches_keep_the_triggers(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_insert, "BULK_MIN_ROWS", 3)
    for _, path in _copies(template):
        database = open_database(path)
        with database.session() as session:
            writer = BulkInsert(session)
            two = [_row("account", _account(f"a-{n}", n)) for n in range(2)]
            local_records.write_rows(session, "account", two, writer)
            assert not writer.active
            three = [_row("account", _account(f"b-{n}", n)) for n in range(3)]
            local_records.write_rows(session, "account", three, writer)
            assert writer.active
            writer.settle()
        database.close()


def test_every_insert_trigger_of_the_deferred_tables_is_known(template: Path) -> None:
    """A migration that adds an insert trigger to one of these tables must say here what to do
    in its place (or the bulk path would leave its table out of date)."""
    connection = sqlite3.connect(template)
    try:
        fts = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'accounts_fts'")
        triggers = connection.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        has_fts = fts.fetchone() is not None
    finally:
        connection.close()
    for table, deferred in DEFERRED.items():
        inserts = {
            name
            for name, on, sql in triggers
            if on == table and " AFTER INSERT " in " ".join(sql.split()).upper()
        }
        expected = {n for n in deferred if has_fts or n not in SEARCH_TRIGGERS}
        if not has_fts:
            inserts -= SEARCH_TRIGGERS  # the fallback's keep their own row's column
        assert inserts == expected, table
    on_summary = {name for name, on, _ in triggers if on == "account_visit_summary"}
    assert set(SUMMARY_TRIGGERS) <= on_summary
    assert on_summary - set(SUMMARY_TRIGGERS) == {"visit_summary_due_ad"}  # no delete happens
