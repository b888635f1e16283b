"""``sfa opportunity new | stage | history`` on a demo profile (offline, no server)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from demo.profiles import build_demo_file

from cli.test_quote_commands import TODAY, Run, db_rows
from sfa_desktop.i18n import set_language
from sfa_desktop.store.paths import DATABASE_FILENAME


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-opportunities"), accounts=30, today=TODAY)


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "profile"
    profile.mkdir()
    shutil.copy2(demo_file, profile / DATABASE_FILENAME)
    return profile


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.fixture
def sfa(folder: Path) -> Run:
    return Run(folder)


def _my_account(folder: Path) -> str:
    return str(
        db_rows(
            folder,
            "SELECT a.id FROM accounts a JOIN app_meta m ON m.key = 'user_id'"
            " WHERE a.owner_id = m.value AND a.deleted_at IS NULL ORDER BY a.id",
        )[0][0]
    )


def _counts(folder: Path) -> tuple[int, ...]:
    return tuple(
        db_rows(folder, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("opportunities", "opportunity_stage_changes", "sync_outbox")
    )


def _history(folder: Path, opportunity_id: str) -> list[tuple[object, ...]]:
    return db_rows(
        folder,
        "SELECT from_stage, to_stage, from_close_date, to_close_date, amount"
        " FROM opportunity_stage_changes WHERE opportunity_id = ? ORDER BY changed_at, id",
        opportunity_id,
    )


def test_new_then_stages_leave_a_history(sfa: Run, folder: Path) -> None:
    before = _counts(folder)
    made = sfa.json(
        "opportunity",
        "new",
        "--account",
        _my_account(folder)[:8],
        "--name",
        "Renovación flota",
        "--amount",
        "12500.50",
        "--close",
        "2027-01-15",
    )
    assert made["stage"] == "prospecting"
    assert (made["probability"], made["forecast_category"]) == (10, "pipeline")
    assert made["expected_close_date"] == "2027-01-15"
    # the opportunity, its first history record, and the two creates queued for sync
    assert tuple(a - b for a, b in zip(_counts(folder), before, strict=True)) == (1, 1, 2)
    moved = sfa.json("opportunity", "stage", made["id"][:8], "negotiation", "--close", "2027-02-01")
    assert (moved["stage"], moved["probability"], moved["forecast_category"]) == (
        "negotiation",
        75,
        "best_case",
    )
    assert moved["changed"] == ["expected_close_date", "forecast_category", "probability", "stage"]
    assert sfa("opportunity", "stage", made["id"], "closed_won") == 0, sfa.err
    assert sfa.out.startswith("Closed won, 100%")
    assert _history(folder, made["id"]) == [
        (None, "prospecting", None, "2027-01-15", 1250050),
        ("prospecting", "negotiation", "2027-01-15", "2027-02-01", 1250050),
        ("negotiation", "closed_won", "2027-02-01", TODAY.isoformat(), 1250050),
    ]
    history = sfa.json("opportunity", "history", made["id"])
    assert history["slip_count"] == 1 and history["slipped_days"] == 17
    assert history["cycle_days"] == 0 and history["age_in_stage_days"] == 0
    assert [c["to_stage"] for c in history["changes"]] == [
        "prospecting",
        "negotiation",
        "closed_won",
    ]
    assert history["changes"][0]["amount"] == "12500.50"
    assert sfa("opportunity", "history", made["id"]) == 0
    assert "Closed won" in sfa.out


def test_closing_lost_needs_a_reason_and_a_refusal_writes_nothing(sfa: Run, folder: Path) -> None:
    made = sfa.json(
        "opportunity", "new", "--account", _my_account(folder), "--name", "X", "--amount", "900"
    )
    before = _counts(folder)
    assert sfa("opportunity", "stage", made["id"], "closed_lost") == 1
    assert sfa.err.count("\n") == 1 and "reason" in sfa.err
    assert _counts(folder) == before
    assert sfa("opportunity", "stage", made["id"], "closed_lost", "--lost-reason", "  ") == 1
    assert _counts(folder) == before
    lost = sfa.json("opportunity", "stage", made["id"], "closed_lost", "--lost-reason", "Precio")
    assert (lost["probability"], lost["forecast_category"]) == (0, "omitted")
    assert _counts(folder)[1] == before[1] + 1


@pytest.mark.parametrize(
    ("arguments", "status", "words"),
    [
        (["new", "--account", "{account}", "--name", "X", "--amount", "lots"], 1, "lots"),
        (["new", "--account", "{account}", "--name", "X", "--amount", "-5"], 1, "between"),
        (["new", "--account", "00000000", "--name", "X", "--amount", "5"], 1, "00000000"),
        (["new", "--account", "{account}", "--name", "X", "--amount", "5", "--stage", "won"], 2, "won"),
        (["new", "--account", "{account}", "--name", "X", "--amount", "5", "--close", "2027-02-30"], 2, "2027-02-30"),
        (["new", "--account", "{account}", "--name", "X", "--amount", "5", "--stage", "closed_lost"], 1, "reason"),
        (["stage", "ffffffff", "proposal"], 1, "no longer exists"),
        (["stage", "{opportunity}", "won"], 2, "won"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_nothing_written(
    sfa: Run, folder: Path, arguments: list[str], status: int, words: str
) -> None:
    opportunity = str(db_rows(folder, "SELECT id FROM opportunities ORDER BY id")[0][0])
    values = {"account": _my_account(folder), "opportunity": opportunity}
    before = _counts(folder)
    assert sfa("opportunity", *[a.format(**values) for a in arguments]) == status
    assert sfa.out == ""
    assert sfa.err.startswith("sfa: ") and sfa.err.count("\n") == 1, sfa.err
    assert words in sfa.err
    assert _counts(folder) == before


def test_the_generic_edit_moves_a_stage_the_same_way(sfa: Run, folder: Path) -> None:
    made = sfa.json(
        "opportunity", "new", "--account", _my_account(folder), "--name", "X", "--amount", "10"
    )
    edited = sfa.json("edit", "opportunity", made["id"], "--set", "stage=closed_won")
    assert edited["changed"] == [
        "expected_close_date",
        "forecast_category",
        "probability",
        "stage",
    ]
    assert [row[1] for row in _history(folder, made["id"])] == ["prospecting", "closed_won"]
    assert sfa("edit", "opportunity", made["id"], "--set", "stage=closed_lost") == 1
    assert "reason" in sfa.err


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("action", ["new", "stage", "history"])
def test_help_prints_in_both_languages(
    sfa: Run, language: str, action: str, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language(language)
    assert sfa("opportunity", action, "--help") == 0  # --help prints and returns, as --version does
    assert "--json" in capsys.readouterr().out
