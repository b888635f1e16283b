"""``sfa forecast submit`` and ``sfa forecast adjust`` on a demo profile (offline, no server):
a rep submits, the manager adjusts; refusals are one line and write nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from demo.profiles import build_demo_file

from cli.offline import OfflineRun, profile_copy
from cli.offline import db_rows as _rows
from sfa_desktop.i18n import set_language
from sfa_desktop.store.paths import DATABASE_FILENAME

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-fc-write"), accounts=60, today=DEMO_DAY)


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


def _sign_in_as(folder: Path, role: str) -> tuple[str, str]:
    """Make the demo profile's user its ``role`` (id, e-mail)."""
    ((user_id, email),) = _rows(
        folder, "SELECT id, email FROM users WHERE role = ? ORDER BY id LIMIT 1", role
    )
    with sqlite3.connect(folder / DATABASE_FILENAME) as connection:
        connection.execute("UPDATE app_meta SET value = ? WHERE key = 'user_id'", (user_id,))
    return user_id, email


def _sign_in_as_user(folder: Path, user_id: str) -> None:
    with sqlite3.connect(folder / DATABASE_FILENAME) as connection:
        connection.execute("UPDATE app_meta SET value = ? WHERE key = 'user_id'", (user_id,))


def _counts(folder: Path) -> tuple[int, int, int]:
    ((subs, adjs, outbox),) = _rows(
        folder,
        "SELECT (SELECT count(*) FROM forecast_submissions),"
        " (SELECT count(*) FROM forecast_adjustments), (SELECT count(*) FROM sync_outbox)",
    )
    return subs, adjs, outbox


def _me(folder: Path) -> tuple[str, str]:
    ((user_id, email),) = _rows(
        folder,
        "SELECT u.id, u.email FROM users u JOIN app_meta m ON m.value = u.id"
        " WHERE m.key = 'user_id'",
    )
    return user_id, email


def test_a_rep_submits_with_an_adjustment(sfa: Run, folder: Path) -> None:
    shown = sfa.json("forecast", "show", "--period", "2026-12")
    (live,) = shown["person"]["own"]
    document = sfa.json(
        "forecast", "submit", "--period", "2026-12", "--adjust=-1500,50", "--note", "Prudente"
    )
    (made,) = document["submissions"]
    assert document["period"] == "2026-12"
    assert (made["commit"], made["best_case"], made["closed"]) == (
        live["commit"],
        live["best_case"],
        live["closed"],
    )
    assert (made["rep_adjustment"], made["rep_note"]) == ("-1500.50", "Prudente")
    again = sfa.json("forecast", "show", "--period", "2026-12")
    assert again["person"]["own"][0]["call"] == made["final_call"]
    assert _rows(folder, "SELECT entity, op FROM sync_outbox") == [
        ("forecast_submission", "create")
    ]


def test_submit_in_words_defaults_to_the_current_quarter(sfa: Run) -> None:
    assert sfa("forecast", "submit") == 0, sfa.err
    assert sfa.out.startswith("Forecast submitted for 2026-Q4.\nEUR: closed ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--adjust", "100"], "--adjust needs a --note"),
        (["--adjust", "mucho", "--note", "x"], "is not an amount"),
        (["--adjust", "1.001", "--note", "x"], "At most 2 decimal places"),
        (["--period", "2026-13"], "is not a period"),
    ],
)
def test_a_bad_submission_is_one_line_and_writes_nothing(
    sfa: Run, folder: Path, argv: list[str], message: str
) -> None:
    before = _counts(folder)
    assert sfa("forecast", "submit", *argv) != 0
    assert message in sfa.err and sfa.err.count("\n") == 1, sfa.err
    assert _counts(folder) == before


def test_the_manager_adjusts_a_rep_and_the_team(sfa: Run, folder: Path) -> None:
    rep_id, rep_email = _me(folder)
    assert sfa("forecast", "submit", "--period", "2026-12") == 0
    before = _counts(folder)
    # the rep cannot adjust themselves
    assert sfa("forecast", "adjust", "--rep", rep_email, "--amount", "1", "--note", "x") == 1
    assert "Only a manager above" in sfa.err and sfa.err.count("\n") == 1
    argv = ["--rep", rep_email, "--period", "2026-12", "--amount", "1", "--note", "x"]
    assert sfa("forecast", "adjust", *argv) == 1
    assert "Only a manager above" in sfa.err and sfa.err.count("\n") == 1
    assert _counts(folder) == before
    manager_id, manager_email = _sign_in_as(folder, "manager")
    sfa.now = NOW + dt.timedelta(hours=1)
    document = sfa.json(
        "forecast",
        "adjust",
        "--rep",
        rep_email,
        "--period",
        "2026-12",
        "--amount",
        "-2000",
        "--note",
        "Se retrasa a enero",
    )
    assert (document["owner_id"], document["scope"], document["amount"]) == (
        rep_id,
        "rep",
        "-2000.00",
    )
    team = sfa.json("forecast", "show", "--period", "2026-12", "--team")
    rows = {row["user_id"]: row for row in team["rows"]}
    (latest,) = rows[rep_id]["latest"]
    assert latest["manager_adjustment"] == "-2000.00" and latest["adjustment_kind"] == "direct"
    assert latest["manager_note"] == "Se retrasa a enero"
    assert [(a["amount"], a["kind"], a["note"]) for a in latest["adjustments"]] == [
        ("-2000.00", "direct", "Se retrasa a enero")
    ]
    assert document["call"] == latest["final_call"]
    # the rep reads it in words
    _sign_in_as_user(folder, rep_id)
    assert sfa("forecast", "show", "--period", "2026-12") == 0
    assert "  Direct adjustment by " in sfa.out and ": -2000.00 EUR (Se retrasa a enero)" in sfa.out
    # the team call: the admin adjusts the manager's team
    _sign_in_as(folder, "admin")
    assert (
        sfa(
            "forecast",
            "adjust",
            "--team",
            manager_email,
            "--period",
            "2026-12",
            "--amount",
            "5000",
            "--note",
            "Campaña de Navidad",
        )
        == 0
    ), sfa.err
    assert sfa.out.startswith("Adjusted ") and "team call for 2026-12 by 5000.00 EUR" in sfa.out
    # the demo's own adjustments are in the history too; these two are the latest
    made = _rows(
        folder,
        "SELECT scope, owner_id FROM forecast_adjustments WHERE period = '2026-12'"
        " ORDER BY adjusted_at",
    )
    assert made == [("rep", rep_id), ("team", manager_id)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--amount", "1", "--note", "x"], "one of the arguments --rep --team is required"),
        (["--rep", "nadie@example.es", "--amount", "1", "--note", "x"], "There is no user"),
        (["--rep", "{rep}", "--amount", "1"], "--note"),
        (["--rep", "{rep}", "--amount", "1", "--note", " "], "A value is required"),
        (
            ["--rep", "{rep}", "--amount", "1", "--note", "x", "--period", "2027-01"],
            "not submitted",
        ),
        (["--team", "{rep}", "--amount", "1", "--note", "x"], "manages nobody"),
    ],
)
def test_a_bad_adjustment_is_one_line_and_writes_nothing(
    sfa: Run, folder: Path, argv: list[str], message: str
) -> None:
    _rep_id, rep_email = _me(folder)
    assert sfa("forecast", "submit", "--period", "2026-12") == 0
    _sign_in_as(folder, "manager")
    before = _counts(folder)
    argv = [rep_email if a == "{rep}" else a for a in argv]
    if "--period" not in argv:
        argv += ["--period", "2026-12"]
    assert sfa("forecast", "adjust", *argv) != 0
    assert message in sfa.err and sfa.err.count("\n") == 1, sfa.err
    assert _counts(folder) == before


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("action", ["submit", "adjust"])
def test_help_prints_in_both_languages(
    sfa: Run, language: str, action: str, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language(language)
    assert sfa("forecast", action, "--help") == 0  # --help prints and returns, as --version does
    assert "--json" in capsys.readouterr().out
