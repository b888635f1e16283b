"""Loading the demo data into a real SQLite file, through the library and the command line."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import text

from sfa_desktop.demo.__main__ import main
from sfa_desktop.demo.generator import demo_user, demo_user_id
from sfa_desktop.demo.loader import DEMO_DEVICE_CODE, DEMO_SEED_KEY, load_demo
from sfa_desktop.services.quote_numbers import next_quote_number
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, get_meta
from sfa_desktop.store.models import MODEL_BY_ENTITY
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.paths import database_path
from sync_server.protocol.quote_numbers import BLOCK_SIZE

from .conftest import TODAY


def _count(database: Database, entity: str) -> int:
    table = MODEL_BY_ENTITY[entity].__tablename__
    with database.session() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_load_writes_every_row_and_the_demo_user(tmp_path: Path) -> None:
    reports: list[tuple[str, int]] = []
    with open_database(tmp_path / "demo.sqlite3") as database:
        summary = load_demo(
            database, accounts=120, today=TODAY, progress=lambda e, n: reports.append((e, n))
        )
        for entity, rows in summary.rows.items():
            assert _count(database, entity) == rows, entity
        with database.session() as session:
            assert get_meta(session, MetaKey.USER_ID) == demo_user_id(today=TODAY)
            assert get_meta(session, DEMO_SEED_KEY) == "20261125"
    assert summary.rows["account"] == 120
    assert summary.user_id == demo_user_id(today=TODAY)
    assert summary.user_name == "Javier García Molina"
    assert reports[-1] == ("saved_segment", summary.rows["saved_segment"]) == ("saved_segment", 3)
    assert ("forecast_adjustment", summary.rows["forecast_adjustment"]) in reports
    assert ("forecast_submission", summary.rows["forecast_submission"]) in reports
    assert ("account", 120) in reports


def test_load_accepts_a_session_factory(tmp_path: Path) -> None:
    with open_database(tmp_path / "demo.sqlite3") as database:
        summary = load_demo(database.session, accounts=5, today=TODAY)
        assert _count(database, "account") == 5
    assert summary.total_rows == sum(summary.rows.values())


def test_background_generation_loads_the_same_data(tmp_path: Path) -> None:
    with open_database(tmp_path / "a.sqlite3") as first:
        direct = load_demo(first, accounts=40, today=TODAY)
    with open_database(tmp_path / "b.sqlite3") as second:
        background = load_demo(second, accounts=40, today=TODAY, background=True)
        assert _count(second, "visit") == direct.rows["visit"]
    assert background.rows == direct.rows


def test_the_command_creates_a_database(tmp_path: Path) -> None:
    out = io.StringIO()
    code = main(
        ["--data-dir", str(tmp_path / "p"), "--accounts", "30", "--visits-per-account", "2",
         "--today", TODAY.isoformat()],
        out=out,
    )  # fmt: skip
    assert code == 0
    text_out = out.getvalue()
    assert "account" in text_out and "Done in" in text_out
    with open_database(database_path(tmp_path / "p")) as database:
        assert _count(database, "account") == 30


def test_the_command_never_overwrites_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = database_path(tmp_path)
    path.write_bytes(b"precious")
    code = main(["--data-dir", str(tmp_path), "--accounts", "1"], out=io.StringIO())
    assert code == 2
    assert "already holds a database" in capsys.readouterr().err
    assert path.read_bytes() == b"precious"


@pytest.mark.parametrize(
    "args",
    [["--accounts", "-3"], ["--today", "25/11/2026"], ["--reps", "0"], ["--accounts", "many"]],
)
def test_the_command_rejects_bad_options(tmp_path: Path, args: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--data-dir", str(tmp_path), *args], out=io.StringIO())
    assert exit_info.value.code == 2
    assert not database_path(tmp_path).exists()


def _quote_numbers(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(text("SELECT number FROM quotes")))


def test_the_demo_device_holds_quote_numbers_after_its_own(tmp_path: Path) -> None:
    """Like after a first sync: a block of each year it keeps, after the demo's numbers."""
    december = dt.date(2026, 12, 6)
    with open_database(tmp_path / "demo.sqlite3") as database:
        load_demo(database, accounts=60, today=december)
        me = demo_user(today=december)
        with database.session() as session:
            assert quote_numbers.device_code(session) == DEMO_DEVICE_CODE
            assert quote_numbers.leased_rep_code(session) == me.rep_code
            blocks = session.execute(
                text("SELECT year, first_seq, last_seq, next_seq FROM quote_number_blocks")
            ).all()
            highest = quote_numbers.highest_seq(session, rep_code=me.rep_code, year=2026)
        assert highest > 0
        assert sorted(blocks) == [
            (2026, highest + 1, highest + BLOCK_SIZE, highest + 1),
            (2027, 1, BLOCK_SIZE, 1),  # December: next year's numbers too
        ]
        mine = [n for n in _quote_numbers(database) if n.startswith(f"Q-{me.rep_code}-2026-")]
        assert max(int(n.rsplit("-", 1)[1]) for n in mine) == highest
        with database.session() as session:
            number = next_quote_number(session, me.id, december)
        assert number == f"Q-{me.rep_code}-2026-{highest + 1:04d}"
        assert number not in _quote_numbers(database)


def test_outside_december_only_this_years_numbers(tmp_path: Path) -> None:
    with open_database(tmp_path / "demo.sqlite3") as database:
        load_demo(database, accounts=20, today=TODAY)
        with database.session() as session:
            years = session.scalars(text("SELECT year FROM quote_number_blocks")).all()
        assert years == [TODAY.year]


def test_the_command_makes_the_demo_as_the_manager(tmp_path: Path) -> None:
    out = io.StringIO()
    argv = ["--data-dir", str(tmp_path), "--accounts", "5", "--today", "2026-11-25"]
    assert main([*argv, "--demo-user", "manager"], out=out) == 0
    with open_database(database_path(tmp_path)) as database, database.session() as session:
        me = session.get(User, get_meta(session, MetaKey.USER_ID))
        assert me is not None and me.role == "manager"
