"""``sfa pipeline`` and ``sfa forecast show`` on a demo profile (read only, no server)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file

from cli.offline import OfflineRun, db_rows, profile_copy
from sfa_desktop.i18n import set_language
from sfa_desktop.store.paths import DATABASE_FILENAME
from sync_server.protocol.forecast_rules import deal_probability

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-forecast"), accounts=120, today=DEMO_DAY)


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    return profile_copy(demo_file, tmp_path)


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


class Run(OfflineRun):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, NOW)


@pytest.fixture
def sfa(folder: Path) -> Run:
    return Run(folder)


def _euros(minor: int | Decimal) -> Decimal:
    return (Decimal(minor) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_pipeline_per_stage_defaults_to_the_current_quarter(sfa: Run, folder: Path) -> None:
    document = sfa.json("pipeline")
    assert (document["period"], document["start"], document["end"]) == (
        "2026-Q4",
        "2026-10-01",
        "2026-12-31",
    )
    deals = db_rows(
        folder,
        "SELECT stage, amount, probability FROM opportunities WHERE deleted_at IS NULL"
        " AND expected_close_date BETWEEN '2026-10-01' AND '2026-12-31'",
    )
    stages = document["stages"]
    assert sum(s["count"] for s in stages) == len(deals) > 0
    order = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"]
    assert [s["stage"] for s in stages] == sorted((s["stage"] for s in stages), key=order.index)
    for row in stages:
        mine = [d for d in deals if d[0] == row["stage"]]
        assert Decimal(row["amount"]) == _euros(sum(d[1] for d in mine))
        weighted = sum(d[1] * deal_probability(d[0], d[2]) for d in mine) / Decimal(100)
        assert Decimal(row["weighted"]) == _euros(weighted)
    assert sfa("pipeline", "--period", "2026-11") == 0
    assert sfa.out.startswith("Pipeline 2026-11 (2026-11-01 – 2026-11-30)")
    assert "Negotiation" in sfa.out and " EUR" in sfa.out
    mine = sfa.json("pipeline", "--mine", "--period", "2026-11")
    assert sum(s["count"] for s in mine["stages"]) <= sum(
        s["count"] for s in sfa.json("pipeline", "--period", "2026-11")["stages"]
    )


@pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "Q4", "next"])
def test_a_bad_period_is_one_clear_line(sfa: Run, bad: str) -> None:
    for command in (["pipeline"], ["forecast", "show"]):
        assert sfa(*command, "--period", bad) == 2
        assert sfa.out == ""
        lines = sfa.err.splitlines()
        assert len(lines) == 1 and f"“{bad}” is not a period" in lines[0], sfa.err
        assert "2026-Q4" in lines[0]


def test_forecast_show_for_the_rep(sfa: Run, folder: Path) -> None:
    document = sfa.json("forecast", "show", "--period", "2026-11")
    person = document["person"]
    (user_id,) = db_rows(folder, "SELECT value FROM app_meta WHERE key = 'user_id'")[0]
    assert person["user_id"] == user_id and document["ended"] is False
    (eur,) = person["own"]
    (won,) = db_rows(
        folder,
        "SELECT COALESCE(SUM(amount), 0) FROM opportunities WHERE deleted_at IS NULL"
        " AND owner_id = ? AND stage = 'closed_won'"
        " AND expected_close_date BETWEEN '2026-11-01' AND '2026-11-30'",
        user_id,
    )[0]
    (quota,) = db_rows(
        folder, "SELECT amount FROM quotas WHERE user_id = ? AND period = '2026-11'", user_id
    )[0]
    assert Decimal(eur["closed"]) == _euros(won) and Decimal(eur["quota"]) == _euros(quota)
    assert Decimal(eur["gap"]) == _euros(quota - won)
    assert Decimal(eur["closed"]) <= Decimal(eur["commit"]) <= Decimal(eur["best_case"])
    assert person["latest"] and eur["call"] == person["latest"][-1]["final_call"]
    assert sfa("forecast", "show", "--period", "2026-11") == 0
    assert sfa.out.startswith("Forecast 2026-11 (2026-11-01 – 2026-11-30)")
    assert "attainment" in sfa.out and "Last submitted" in sfa.out
    ended = sfa.json("forecast", "show", "--period", "2026-10")
    assert ended["ended"] is True and ended["person"]["own"][0]["accuracy_pct"] is not None


def test_forecast_show_for_the_team_of_the_manager(sfa: Run, folder: Path) -> None:
    (manager,) = db_rows(folder, "SELECT id FROM users WHERE role = 'manager'")[0]
    with sqlite3.connect(folder / DATABASE_FILENAME) as connection:
        connection.execute("UPDATE app_meta SET value = ? WHERE key = 'user_id'", (manager,))
    document = sfa.json("forecast", "show", "--team", "--period", "2026-10")
    rows = document["rows"]
    top, reps = rows[0], rows[1:]
    assert top["user_id"] == manager and top["is_manager"] and top["depth"] == 0
    assert reps and all(r["depth"] == 1 for r in reps)
    assert top["members"] == len(rows)
    own = [Decimal(line["closed"]) for line in top["own"]]
    total = sum(own) + sum(Decimal(r["team"][0]["closed"]) for r in reps if r["team"])
    assert Decimal(top["team"][0]["closed"]) == total
    quotas = sum(Decimal(r["team"][0]["quota"] or 0) for r in reps if r["team"])
    assert Decimal(top["team"][0]["quota"]) == quotas
    assert top["team"][0]["accuracy_pct"] is not None
    assert sfa("forecast", "show", "--team", "--period", "2026-10") == 0
    assert sfa.out.startswith("Team forecast 2026-10 (2026-10-01 – 2026-10-31)")
    assert "(team)" in sfa.out and "accuracy" in sfa.out


def test_forecast_show_without_anybody_signed_in(sfa: Run, folder: Path) -> None:
    with sqlite3.connect(folder / DATABASE_FILENAME) as connection:
        connection.execute("DELETE FROM app_meta WHERE key = 'user_id'")
    assert sfa("forecast", "show") == 1
    assert sfa.err.strip() == "sfa: Nobody is signed in on this profile: sign in to a server first."
    assert sfa.json("forecast", "show")["person"] is None


# --- sfa forecast export ------------------------------------------------------------------------


def _as_manager(folder: Path) -> None:
    (manager,) = db_rows(folder, "SELECT id FROM users WHERE role = 'manager'")[0]
    with sqlite3.connect(folder / DATABASE_FILENAME) as connection:
        connection.execute("UPDATE app_meta SET value = ? WHERE key = 'user_id'", (manager,))


def test_forecast_export_writes_each_format_from_its_extension(
    sfa: Run, folder: Path, tmp_path: Path
) -> None:
    import openpyxl
    from pypdf import PdfReader

    _as_manager(folder)
    xlsx, csv_file, pdf = (tmp_path / f"review.{ext}" for ext in ("xlsx", "csv", "pdf"))
    args = ("forecast", "export", "--period", "2026-11", "--team", "--lang", "es")
    assert sfa(*args, "--out", str(xlsx)) == 0, sfa.err
    assert sfa.out == f"{xlsx}\n" and sfa.err == ""
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Equipo", "Oportunidades"]
    document = sfa.json(*args, "--out", str(csv_file))
    assert document == {"path": str(csv_file), "format": "csv", "bytes": csv_file.stat().st_size}
    header = csv_file.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Nivel;Fila;Persona;")
    assert sfa("forecast", "export", "--period", "2026-11", "--team", "--out", str(pdf)) == 0
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Weekly forecast review" in text and "Page 1 of 1" in text  # the CLI's language


def test_forecast_export_without_team_is_your_own(sfa: Run, tmp_path: Path) -> None:
    out = tmp_path / "mine.csv"
    assert sfa("forecast", "export", "--period", "2026-11", "--out", str(out)) == 0, sfa.err
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("0,Own,")


def test_forecast_export_refuses_an_unknown_extension(sfa: Run, tmp_path: Path) -> None:
    out = tmp_path / "review.ods"
    assert sfa("forecast", "export", "--period", "2026-11", "--out", str(out)) == 1
    assert sfa.err == (
        f"sfa: “{out}” is not a file name the review can be exported to: end it in .xlsx, "
        ".csv or .pdf.\n"
    )
    assert sfa.out == "" and list(tmp_path.glob("*review*")) == []


def test_forecast_export_into_a_folder_that_does_not_exist(sfa: Run, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "review.xlsx"
    assert sfa("forecast", "export", "--out", str(out)) == 1
    assert sfa.err.startswith("sfa: cannot write") and sfa.err.count("\n") == 1
    assert not out.parent.exists()
