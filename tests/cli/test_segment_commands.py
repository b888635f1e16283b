"""``sfa segments list|show`` on a demo profile: the demo rep's saved segments and their
accounts, as the service computes them; CSV; errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from demo.profiles import build_demo_file

from cli.offline import OfflineRun, profile_copy
from sfa_desktop.domain.segments import parse_definition
from sfa_desktop.i18n import set_language
from sfa_desktop.services.segments import account_facts, matching
from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import DATABASE_FILENAME

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-segments"), accounts=120, today=DEMO_DAY)


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    return profile_copy(demo_file, tmp_path)


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.fixture
def sfa(folder: Path) -> OfflineRun:
    return OfflineRun(folder, NOW)


def test_list_names_the_demo_segments(sfa: OfflineRun) -> None:
    listed = sfa.json("segments", "list")
    assert [item["name"] for item in listed] == [
        "Clientes A",
        "En riesgo",
        "Nuevos clientes de climatización",
    ]
    assert listed[0]["definition"] == {"version": 1, "abc": ["A"]}
    assert sfa("segments", "list") == 0
    assert "Clientes A" in sfa.out and "Description" in sfa.out


def test_show_lists_the_segment_accounts_as_the_service_does(sfa: OfflineRun, folder: Path) -> None:
    shown = sfa.json("segments", "show", "en riesgo")  # case and accents aside
    assert shown["name"] == "En riesgo" and shown["date"] == "2026-11-25"
    with open_database(folder / DATABASE_FILENAME) as database, database.session() as session:
        definition = parse_definition(shown["definition"])
        expected = matching(account_facts(session, DEMO_DAY), definition, DEMO_DAY)
    assert shown["count"] == len(expected) > 0
    assert {a["id"] for a in shown["accounts"]} == {f.account_id for f in expected}
    assert {a["rfm"] for a in shown["accounts"]} <= {"at_risk", "lapsed"}
    values = [float(a["value"]) for a in shown["accounts"]]
    assert values == sorted(values, reverse=True)
    assert sfa("segments", "show", "En riesgo") == 0
    assert sfa.out.startswith(f"En riesgo: {len(expected)} accounts, value ")


def test_show_writes_the_csv(sfa: OfflineRun, tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    assert sfa("segments", "show", "Clientes A", "--csv", str(target)) == 0, sfa.err
    assert f"Written to {target}" in sfa.out
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Account", "City"]
    assert {row[7] for row in rows[1:]} == {"A"}


def test_an_unknown_segment_is_one_line_and_status_1(sfa: OfflineRun) -> None:
    assert sfa("segments", "show", "Nope") == 1
    assert sfa.err == "sfa: There is no saved segment “Nope”.\n"
    assert sfa("segments", "frobnicate") == 2
