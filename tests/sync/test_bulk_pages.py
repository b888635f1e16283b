"""Pulled pages written in bulk (``sync.pulled_pages``: rows built in the fetch thread) leave
exactly the rows the change-by-change path leaves — same values, same JSON text, same server versions, same rowids —
and only plain pages with nothing local in the way take that path."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from new_profiles import open_new_database

from sfa_desktop.store import bulk_insert
from sfa_desktop.store.bulk_insert import BulkInsert
from sfa_desktop.store.database import Database
from sfa_desktop.sync import pull_apply, pulled_pages
from sfa_desktop.sync.errors import ProtocolMismatch, ServerUnreachable
from sfa_desktop.sync.pulled_pages import read_page
from sfa_desktop.sync.write_turns import take_write_lock

from .harness import Fleet, Profile

#: what a pull writes (and what triggers keep from it)
TABLES = (
    "users",
    "accounts",
    "contacts",
    "visits",
    "opportunities",
    "sync_record_state",
    "account_visit_summary",
    "pending_follow_ups",
    "accounts_fts",
    "contacts_fts",
    "account_visit_due",
    "visit_month_counts",
)


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(path)
    rows = {}
    try:
        for table in TABLES:
            try:
                query = f"SELECT rowid, * FROM {table} ORDER BY rowid"
                rows[table] = connection.execute(query).fetchall()
            except sqlite3.OperationalError:  # a table without rowid
                rows[table] = connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        # the change log's order and repeats differ between the ways of writing; what is read
        # of it is which accounts changed
        query = "SELECT DISTINCT account_id FROM account_value_changes ORDER BY 1"
        rows["account_value_changes"] = connection.execute(query).fetchall()
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        rows["triggers"] = connection.execute(query).fetchall()
    finally:
        connection.close()
    return rows


def _territory(fleet: Fleet) -> Profile:
    """Ana's records of every synced kind, one of them deleted, all pushed."""
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    first = ana.create("account", name="Ferretería Núñez", city="Zaragoza", tags=["riego", "año"])
    second = ana.create("account", name='Óptica "Sur"', notes="dos\nlíneas", tags=[])
    ana.create("account", name="Bodega Norte")
    ana.create("contact", account_id=first, first_name="Íñigo", last_name="Pérez")
    ana.create("contact", account_id=second, first_name="Ana", last_name="Ñúñez")
    gone = ana.create("contact", account_id=second, first_name="Borrado", last_name="Pronto")
    ana.delete("contact", gone)
    start = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)
    done = ana.create(
        "visit",
        account_id=first,
        planned_start=start,
        status="done",
        outcome="Pedido de riego",
        follow_up_date=dt.date(2026, 12, 5),
    )
    ana.create("visit", account_id=second, planned_start=start, status="done", outcome=" ")
    ana.create("visit", account_id=first, planned_start=start + dt.timedelta(days=40))
    ana.create("visit", account_id=second, follow_up_of_id=done, planned_start=start)
    ana.create("opportunity", account_id=first, name="Riego", amount=125000, probability=40)
    ana.edit("account", first, visit_cadence_days=14)
    ana.sync()
    return ana


def _page_text(profile: Profile) -> str:
    body, source = profile.engine.api.pull_answer("0", 1000)
    page = read_page(body, source)
    assert page.bulk and not page.has_more
    return body.decode()


def _apply(database: Database, text: str, *, way: str) -> pull_apply.PageResult:
    """Write a page change by change, in bulk, or in bulk with plain inserts of new records
    (their derived tables brought up to date at the end, as a pull transaction does)."""
    with database.session() as session:
        take_write_lock(session)
        page = read_page(text.encode(), "test")
        assert page.bulk
        if way == "changes":
            return pull_apply.apply_page(session, page.changes)
        writer = BulkInsert(session, min_rows=1) if way == "inserts" else None
        applied, skipped = pulled_pages.bulk_apply(session, page, writer)
        if writer is not None:
            writer.settle()
        return pull_apply.PageResult(applied=applied, skipped=skipped)


#: any text (a NUL character too: the rows are bound as Python strings either way)
_TEXT = st.characters(blacklist_categories=["Cs"])
#: later changes of records already in the page: (which record, new name, new tags, deleted)
_LATER = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),
        st.text(_TEXT, min_size=1, max_size=12),
        st.one_of(st.none(), st.lists(st.text(_TEXT, max_size=8), max_size=3)),
        st.booleans(),
    ),
    max_size=6,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(later=_LATER)
def test_a_bulk_page_leaves_the_rows_the_change_by_change_path_leaves(
    fleet: Fleet, tmp_path_factory: pytest.TempPathFactory, later: list[Any]
) -> None:
    if not fleet.profiles:
        _territory(fleet)
    base = json.loads(_page_text(fleet.profiles[0]))
    accounts = [c for c in base["changes"] if c["entity"] == "account"]
    for n, (pick, name, tags, deleted) in enumerate(later):  # records changed again later
        change = json.loads(json.dumps(accounts[pick % len(accounts)]))
        change["seq"] = 10_000 + n
        change["values"].update(name=name, tags=tags)
        if deleted:
            change["kind"] = "delete"
            change["values"]["deleted_at"] = "2026-12-06T10:00:00.000000Z"
        change["versions"]["name"] = change["version"] = 50 + n
        base["changes"].append(change)
    text = json.dumps(base, ensure_ascii=False, separators=(",", ":"))
    folder = tmp_path_factory.mktemp("bulk")
    results = {}
    ways = ("changes", "bulk", "inserts")
    for way in ways:
        database = open_new_database(folder / f"{way}.sqlite3")
        try:
            results[way] = _apply(database, text, way=way)
        finally:
            database.close()
    expected = _rows(folder / "changes.sqlite3")
    for way in ways[1:]:
        assert results[way] == results["changes"]
        assert _rows(folder / f"{way}.sqlite3") == expected, way


def test_pages_that_are_not_plain_are_decoded_and_written_change_by_change(fleet: Fleet) -> None:
    base = json.loads(_page_text(_territory(fleet)))

    def read(edit: Any) -> pulled_pages.PulledPage:
        page = json.loads(json.dumps(base))
        edit(page)
        return read_page(json.dumps(page).encode(), "test")

    left = {"seq": 99, "entity": "account", "record_id": "x", "kind": "left_scope"}
    odd_pages = {
        "a record left scope": lambda p: p["changes"].append(left),
        "a conflict": lambda p: p["changes"][-1].update(entity="conflict"),
        "a field version as text": lambda p: p["changes"][0]["versions"].update(name="1"),
        "a version given as true": lambda p: p["changes"][0].update(version=True),
        "no field versions": lambda p: p["changes"][0].pop("versions"),
    }
    for why, edit in odd_pages.items():
        page = read(edit)
        assert not page.bulk, why
        assert len(page.changes) == page.size, why  # decoded by the wire models
    assert read(lambda p: None).bulk
    with pytest.raises(ProtocolMismatch):
        read(lambda p: p.update(surprise=True))
    with pytest.raises(ProtocolMismatch):
        read(lambda p: p["changes"].append({"seq": "many"}))
    with pytest.raises(ProtocolMismatch):
        read(lambda p: p["changes"][0].update(surprise=True))
    with pytest.raises(ProtocolMismatch):
        read_page(b"<html>not a page</html>", "test")
    with pytest.raises(ProtocolMismatch):
        read_page(b'{"changes": [], "next_cursor": "1", "has_more": false, "server_hlc": NaN}', "t")


def test_a_first_sync_is_written_in_bulk_but_not_over_pending_edits(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = _territory(fleet)
    bulk_pages: list[int] = []
    bulk_apply = pulled_pages.bulk_apply

    def counted(session: Any, page: pulled_pages.PulledPage, bulk: Any = None) -> tuple[int, int]:
        bulk_pages.append(page.size)
        return bulk_apply(session, page, bulk)

    monkeypatch.setattr(pulled_pages, "bulk_apply", counted)
    laptop = fleet.profile("ana-laptop", fleet.team.rep_a, pull_page=3)
    report = laptop.sync()
    assert len(bulk_pages) > 1 and sum(bulk_pages) == report.pulled
    assert laptop.ids("account") == ana.ids("account")

    account = sorted(ana.ids("account"))[0]
    ana.edit("account", account, city="Huesca")
    ana.sync()
    laptop.edit("account", account, notes="mine")  # waiting to be pushed…
    bulk_pages.clear()
    with laptop.database.session() as session:
        take_write_lock(session)
        page = read_page(ana.engine.api.pull_answer("0", 1000)[0], "test")
        pull_apply.apply_pulled(session, page)  # …so the page is merged change by change
    assert bulk_pages == []
    assert laptop.get("account", account)["notes"] == "mine"  # type: ignore[index]


@pytest.mark.parametrize("least", [1, 10_000], ids=["inserts", "upserts"])
def test_an_interrupted_bulk_first_sync_resumes_to_the_same_rows(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch, least: int
) -> None:
    """Interrupted mid-way (its new records inserted with the triggers dropped, or upserted
    through them), a first sync resumes to the rows an uninterrupted change-by-change one
    leaves, derived tables and triggers included."""
    monkeypatch.setattr(bulk_insert, "BULK_MIN_ROWS", least)
    _territory(fleet)
    laptop = fleet.profile("ana-laptop", fleet.team.rep_a, pull_page=2)
    laptop.http.pulls_before_outage = 3
    with pytest.raises(ServerUnreachable):
        laptop.sync()
    laptop.http.pulls_before_outage = None
    laptop.sync()
    monkeypatch.setattr(pull_apply, "_local_work_waiting", lambda session: True)
    reference = fleet.profile("ana-desktop", fleet.team.rep_a, pull_page=2)
    reference.sync()  # change by change, uninterrupted
    assert _rows(laptop.database.path) == _rows(reference.database.path)
