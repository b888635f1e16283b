"""Loading the demo data into a real SQLite file, through the library and the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import text

from sfa_desktop.demo.__main__ import main
from sfa_desktop.demo.generator import demo_user_id
from sfa_desktop.demo.loader import DEMO_SEED_KEY, load_demo
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, get_meta
from sfa_desktop.store.models import MODEL_BY_ENTITY
from sfa_desktop.store.paths import database_path

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
    assert reports[-1] == ("forecast_submission", summary.rows["forecast_submission"])
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
