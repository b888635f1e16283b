"""``sfa today`` on a demo profile: the Today service's route, arrivals, warnings, follow-ups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from demo.profiles import build_demo_file

from cli.offline import OfflineRun, profile_copy
from sfa_desktop.i18n import set_language
from sfa_desktop.services.preferences import Preferences, save_preferences
from sfa_desktop.services.today import StartPoint, load_today
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import DATABASE_FILENAME

DEMO_DAY = dt.date(2026, 11, 25)
MADRID = ZoneInfo("Europe/Madrid")
NOW = dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-today"), accounts=120, today=DEMO_DAY)


@pytest.fixture
def folder(demo_file: Path, tmp_path: Path) -> Path:
    return profile_copy(demo_file, tmp_path)


@pytest.fixture(autouse=True)
def english_in_madrid(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("en")
    monkeypatch.setenv("TZ", "Europe/Madrid")


class Run(OfflineRun):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, NOW)


@pytest.fixture
def sfa(folder: Path) -> Run:
    return Run(folder)


def test_json_is_the_today_service_route(sfa: Run, folder: Path) -> None:
    save_preferences(
        folder,
        Preferences(
            route_start=StartPoint("Oficina", 40.4168, -3.7038).to_preference(),
            route_speed_kmh="40",
        ),
    )
    document = sfa.json("today")
    with open_database(folder / DATABASE_FILENAME) as database, database.session() as session:
        from sfa_desktop.services.preferences import load_preferences
        from sfa_desktop.services.today import route_settings

        data = load_today(
            session,
            clock=AgendaClock.fixed(NOW, MADRID),
            start_point=StartPoint("Oficina", 40.4168, -3.7038),
            settings=route_settings(load_preferences(folder)),
        )
    assert document["date"] == "2026-11-25" and document["time_zone"] == "Europe/Madrid"
    assert document["start"]["label"] == "Oficina" and not document["start_is_first_visit"]
    assert [s["visit_id"] for s in document["stops"]] == [s.stop.visit_id for s in data.stops]
    assert len(document["stops"]) >= 5
    first = document["stops"][0]
    assert first["position"] == 1 and first["leg_km"] > 0
    expected_arrival = data.stops[0].arrival
    assert expected_arrival is not None
    assert dt.datetime.fromisoformat(first["arrival"]) == expected_arrival
    assert document["total_km"] == pytest.approx(data.total_km, abs=1e-3)
    for stop, row in zip(document["stops"], data.stops, strict=True):
        assert stop["warning"] == ("late" if row.late else None if row.fits else "does_not_fit")
    starts = [s["planned_start"] for s in document["stops"] if not s["flexible"]]
    assert starts == sorted(starts)
    assert document["follow_ups"], "the demo plants follow-ups due"
    assert all(f["due"] <= "2026-11-25" for f in document["follow_ups"])


def test_text_lists_order_account_times_arrival_and_follow_ups(sfa: Run) -> None:
    assert sfa("today") == 0, sfa.err
    lines = sfa.out.splitlines()
    assert lines[0].startswith("Today 2026-11-25: 0 of ")
    header = next(line for line in lines if line.startswith("#"))
    for column in ("account", "planned", "arrival", "km", "warning"):
        assert column in header
    assert any(line.startswith("1 ") for line in lines)
    assert any(line.startswith("Follow-ups due: ") for line in lines)


def test_another_date_and_a_day_without_visits(sfa: Run) -> None:
    document = sfa.json("today", "--date", "2027-06-06")
    assert document["date"] == "2027-06-06" and document["stops"] == []
    assert sfa("today", "--date", "2027-06-06") == 0
    assert "No visits planned." in sfa.out


@pytest.mark.parametrize("bad", ["2026-13-01", "mañana", "25/11/2026"])
def test_a_bad_date_is_one_line(sfa: Run, bad: str) -> None:
    assert sfa("today", "--date", bad) == 2
    assert sfa.out == ""
    assert sfa.err.count("\n") == 1 and "is not a date (YYYY-MM-DD)" in sfa.err


def test_times_are_in_the_computers_time_zone(sfa: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    madrid = sfa.json("today")["stops"][0]
    monkeypatch.setenv("TZ", "UTC")
    document = sfa.json("today")
    assert document["time_zone"] == "UTC"
    utc = next(s for s in document["stops"] if s["visit_id"] == madrid["visit_id"])
    assert dt.datetime.fromisoformat(utc["planned_start"]) == dt.datetime.fromisoformat(
        madrid["planned_start"]
    )
    assert sfa("today") == 0
    local = dt.datetime.fromisoformat(utc["planned_start"]).astimezone(dt.UTC).strftime("%H:%M")
    assert f" {local}–" in sfa.out  # the text shows local times: here UTC
