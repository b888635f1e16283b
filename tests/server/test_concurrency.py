"""Concurrent pushes never make a pull skip a change (SPEC §4.4).

Several devices push in threads while another device pulls continuously. Only creates are
pushed, so every change-feed value belongs to exactly one record: the puller must receive
every value, in increasing order, each record exactly once, with no gaps.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sync_server.db import records
from sync_server.db.database import Database
from sync_server.db.models import AppliedMutation, AuditEntry
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp

from .helpers import Device, account_values, pull_while_pushing

PUSHERS = ("rep_a", "rep_b", "rep_c", "manager")
BATCHES = 12
BATCH_SIZE = 15


def _push_accounts(device: Device, created: list[str], failures: list[BaseException]) -> None:
    try:
        for batch in range(BATCHES):
            created.extend(device.create_accounts([f"{batch}"] * BATCH_SIZE))
    except BaseException as error:  # reported by the main thread
        failures.append(error)


def test_concurrent_pushes_while_pulling_skip_nothing(devices: dict[str, Device]) -> None:
    puller = devices["admin"]
    created: list[str] = []
    failures: list[BaseException] = []
    threads = [
        threading.Thread(target=_push_accounts, args=(devices[name], created, failures))
        for name in PUSHERS
    ]
    delivered: list[tuple[int, str]] = []
    cursor = "0"

    def pull_once() -> bool:
        nonlocal cursor
        page = puller.pull_page(cursor, limit=37)
        delivered.extend((c.seq, c.record_id) for c in page.changes)
        cursor = page.next_cursor
        return page.has_more

    pull_while_pushing(threads, pull_once)
    assert not failures, failures[0]

    seqs = [seq for seq, _ in delivered]
    assert seqs == sorted(set(seqs)), "changes arrived out of order or twice"
    assert seqs == list(range(1, len(seqs) + 1)), "a change was skipped"
    ids = [record_id for _, record_id in delivered]
    assert len(ids) == len(set(ids))
    assert set(created) <= set(ids)
    assert len(created) == len(PUSHERS) * BATCHES * BATCH_SIZE


def test_change_numbers_are_taken_one_transaction_at_a_time(database: Database) -> None:
    """While one transaction holds change numbers, another cannot take any until it ends."""
    with database.write_session() as first:
        records.allocate_sequence(first, count=3)
        if database.is_postgres:
            other = Database(database.url)
            try:
                with (
                    pytest.raises(DBAPIError, match="lock timeout"),
                    other.write_session() as second,
                ):
                    second.execute(text("SET LOCAL lock_timeout = '100ms'"))
                    records.allocate_sequence(second, count=1)
            finally:
                other.dispose()
        else:
            path = database.url.removeprefix("sqlite:///")
            with (
                closing(sqlite3.connect(path, timeout=0.1)) as second,
                pytest.raises(sqlite3.OperationalError, match="locked"),
            ):
                second.execute("BEGIN IMMEDIATE")
    with database.read_session() as session:
        assert records.latest_sequence(session) == 3


def test_a_push_takes_the_change_counter_after_its_audit_entries_and_answers(
    devices: dict[str, Device], database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counter's lock serializes every push until commit: only numbered writes follow it.

    Audit entries and stored answers need no change number, so they are written before the
    counter is taken; when it is taken they are already there, and nothing is added after.
    """
    device = devices["rep_a"]
    account = device.create("account", account_values(device.user_id))
    taken: list[tuple[int, int]] = []
    allocate = records.allocate_sequence

    def counted(session: Session) -> tuple[int, int]:
        audit = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        answers = session.execute(select(func.count()).select_from(AppliedMutation)).scalar_one()
        return audit, answers

    def spy(session: Session, *, count: int) -> int:
        taken.append(counted(session))
        return allocate(session, count=count)

    monkeypatch.setattr(records, "allocate_sequence", spy)
    with database.read_session() as session:
        before = counted(session)
    results = device.push(
        device.mutation(MutationOp.SET, "account", account, field="city", value="Huesca"),
        device.mutation(MutationOp.SET, "account", account, field="phone", value="+34 974 000 000"),
        device.mutation(
            MutationOp.CREATE, "account", new_id(), value=account_values(device.user_id)
        ),
    )
    assert [r.status for r in results] == ["applied"] * 3
    with database.read_session() as session:
        after = counted(session)
    assert after == (before[0] + 3, before[1] + 3)
    assert taken == [after]
