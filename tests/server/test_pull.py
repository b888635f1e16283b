"""Pull: paged, resumable, compressed, filtered (SPEC §4.4, §4.8)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select

from sync_server.db.database import Database
from sync_server.db.models import Record
from sync_server.protocol.values import format_datetime
from sync_server.protocol.wire import ChangeKind, PullResponse, RecordChange

from .helpers import Device, ManualClock


def _create_accounts(device: Device, count: int) -> list[str]:
    return device.create_accounts([f"Cliente {n}" for n in range(count)])


def test_pages_resume_from_the_cursor_in_order(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    ids = _create_accounts(rep, 25)
    seen: list[str] = []
    cursor, pages = "0", 0
    while True:
        page = rep.pull_page(cursor, limit=10)
        pages += 1
        seen.extend(c.record_id for c in page.changes if c.entity == "account")
        seqs = [c.seq for c in page.changes]
        assert seqs == sorted(seqs) and all(s > int(cursor) for s in seqs)
        if pages == 1:
            assert page.remaining is not None and page.remaining > 0
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert seen == ids  # created in one batch, numbered in order
    assert pages == 4  # 6 users + 25 accounts in pages of 10
    assert rep.pull_page(cursor).changes == []
    rep.set("account", ids[3], "city", "Daroca", base=1)
    (change,) = rep.pull_page(cursor).changes
    assert change.record_id == ids[3] and change.versions["city"] == 2 and change.version == 2


def test_the_cursor_skips_changes_the_user_cannot_see(devices: dict[str, Device]) -> None:
    rep_a, rep_c = devices["rep_a"], devices["rep_c"]
    rep_a.sync()
    _create_accounts(rep_c, 5)
    page = rep_a.pull_page(rep_a.cursor)
    assert page.changes == [] and not page.has_more
    assert int(page.next_cursor) > int(rep_a.cursor)


def test_pull_pages_are_gzipped_when_the_client_accepts_it(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    _create_accounts(rep, 40)
    raw = rep.client.get("/api/v1/sync/pull", headers={**rep.headers, "Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    body = PullResponse.model_validate_json(raw.content)  # httpx decompresses transparently
    assert len(body.changes) == 46
    assert int(raw.headers["content-length"]) < len(raw.content) / 3
    plain = rep.client.get(
        "/api/v1/sync/pull", headers={**rep.headers, "Accept-Encoding": "identity"}
    )
    assert "content-encoding" not in plain.headers


def test_bad_cursors(devices: dict[str, Device], client: TestClient) -> None:
    rep = devices["rep_a"]
    for cursor in ("-1", "abc", "1.5"):
        response = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=rep.headers)
        assert response.status_code == 422 and response.json()["code"] == "invalid_request"
    ahead = client.get("/api/v1/sync/pull", params={"cursor": "999999"}, headers=rep.headers)
    assert ahead.status_code == 409 and ahead.json()["code"] == "cursor_ahead"
    too_big = client.get("/api/v1/sync/pull", params={"limit": 100000}, headers=rep.headers)
    assert too_big.status_code == 422 and too_big.json()["code"] == "invalid_request"


def test_pulled_instants_are_the_wire_form_of_the_stored_ones(
    devices: dict[str, Device], clock: ManualClock, database: Database
) -> None:
    """The database writes the instants' wire text (``WireInstant``): it must be exactly what
    ``format_datetime`` makes of the stored value, on both backends, whole seconds and years
    before 1000 included."""
    rep = devices["rep_a"]
    moments = [
        dt.datetime(2026, 12, 7, 3, 0, 0, tzinfo=dt.UTC),  # no microseconds
        dt.datetime(2026, 12, 7, 3, 0, 1, 5, tzinfo=dt.UTC),
        dt.datetime(987, 1, 2, 3, 4, 5, 999_999, tzinfo=dt.UTC),
    ]
    ids = []
    for moment in moments:
        clock.now = moment
        ids += rep.create_accounts([f"Cliente {moment.year}"])
    clock.now = moments[1] + dt.timedelta(microseconds=1)
    assert rep.delete("account", ids[0], base=1).status == "applied"
    with database.read_session() as session:
        stored = {
            row.id: (row.created_at, row.updated_at, row.deleted_at)
            for row in session.scalars(select(Record).where(Record.id.in_(ids)))
        }
    pulled = {c.record_id: c.values for c in rep.pull_page("0", limit=500).changes}
    for record_id in ids:
        created, updated, deleted = stored[record_id]
        values = pulled[record_id]
        assert values["created_at"] == format_datetime(created)
        assert values["updated_at"] == format_datetime(updated)
        assert values["deleted_at"] == (format_datetime(deleted) if deleted else None)
    assert pulled[ids[0]]["deleted_at"] is not None
    assert pulled[ids[2]]["created_at"].startswith("0987-01-02T")


def test_a_page_written_as_text_is_the_page_the_wire_models_would_write(
    devices: dict[str, Device], database: Database
) -> None:
    """Each change is written as text around the record's stored JSON (``PullPage``): decoded,
    it is what the wire models build from the decoded record — every value, version and
    instant, tombstones and text that needs escaping included."""
    rep = devices["rep_a"]
    names = ['Ferretería "Núñez"', "Línea\\nrota \\\\ y \u2028 raro", "Ópticas 😀 S.L."]
    ids = rep.create_accounts(names)
    rep.set("account", ids[0], "tags", ["riego", "año"], base=1)
    rep.set("account", ids[1], "notes", 'dos\nlíneas\t"citadas"', base=1)
    assert rep.delete("account", ids[2], base=1).status == "applied"
    with database.read_session() as session:
        stored = {row.id: row for row in session.scalars(select(Record))}
    page = rep.pull_page("0", limit=500)
    assert {c.record_id for c in page.changes} == set(stored)
    for change in page.changes:
        row = stored[change.record_id]
        values = {
            **row.data,
            "id": row.id,
            "created_at": format_datetime(row.created_at),
            "updated_at": format_datetime(row.updated_at),
            "deleted_at": format_datetime(row.deleted_at) if row.deleted_at else None,
        }
        kind = ChangeKind.DELETE if row.deleted_at else ChangeKind.UPSERT
        expected = RecordChange(
            seq=row.seq,
            entity=row.entity,
            record_id=row.id,
            kind=kind,
            values=values,
            versions=row.versions,
            version=row.version,
        )
        assert change == expected
    assert page.changes[-1].kind is ChangeKind.DELETE  # the delete is the latest change
