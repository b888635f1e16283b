"""``sfa-desktop --view today|visits [--week] --screenshot`` in Spanish and English: real,
non-blank PNGs taken once the data is shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sfa_desktop import app
from sfa_desktop.demo.loader import load_demo
from sfa_desktop.services.preferences import Preferences, save_preferences
from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import database_path
from sfa_desktop.ui.visits.week_areas import HOUR_HEIGHT
from sfa_desktop.ui.workspaces.visits import VisitsWorkspace

from .fixed_clock import TODAY
from .screenshots import assert_real_screenshot, run_app, screenshot_args


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo profile built around the fixed day the app's clock reads here."""
    data_dir = tmp_path_factory.mktemp("visits-shots") / "profile"
    data_dir.mkdir()
    with open_database(database_path(data_dir)) as database:
        load_demo(database, accounts=80, today=TODAY)
    return data_dir


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("view", ["today", "visits"])
def test_screenshots_of_today_and_visits_are_not_blank(
    qapp: object, demo_dir: Path, tmp_path: Path, view: str, language: str
) -> None:
    shot = tmp_path / f"{view}-{language}.png"
    args = screenshot_args(demo_dir, shot, "--view", view, "--lang", language)
    assert run_app(args) == 0
    image = assert_real_screenshot(shot)
    # The workspace's own part of the window has content (text), not only the sidebar.
    content = {image.pixel(x, y) for x in range(220, 1260, 8) for y in range(100, 400, 8)}
    assert len(content) > 5


@pytest.mark.parametrize("language", ["es", "en"])
def test_screenshot_of_the_week_calendar(
    qapp: object, demo_dir: Path, tmp_path: Path, language: str
) -> None:
    shot = tmp_path / f"week-{language}.png"
    args = screenshot_args(demo_dir, shot, "--view", "visits", "--week", "--lang", language)
    assert run_app(args) == 0
    image = assert_real_screenshot(shot)
    # the calendar: column lines, today's column, blocks with their text
    area = {image.pixel(x, y) for x in range(260, 1240, 4) for y in range(180, 740, 6)}
    assert len(area) > 20
    # the day headers: Monday to Sunday across the top of the grid
    header = {image.pixel(x, y) for x in range(260, 1240, 2) for y in range(110, 130, 2)}
    assert len(header) > 5


def test_the_week_opens_at_the_working_hours_of_the_preferences(
    qapp: object, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = tmp_path / "profile"
    shutil.copytree(demo_dir, profile)
    save_preferences(profile, Preferences(working_hours="07:00-15:00"))
    seen: dict[str, object] = {}
    take_screenshot = app.DesktopApp._take_screenshot

    def look_then_shoot(desktop: app.DesktopApp) -> None:
        assert desktop.window is not None
        visits = desktop.window.workspace("visits")
        assert isinstance(visits, VisitsWorkspace)
        seen["hours"] = visits.calendar.working_hours()
        seen["week"] = visits.showing_week and visits.calendar.isVisible()
        seen["top"] = visits.calendar.scroll_area.verticalScrollBar().value()
        take_screenshot(desktop)

    monkeypatch.setattr(app.DesktopApp, "_take_screenshot", look_then_shoot)
    args = screenshot_args(profile, tmp_path / "week.png", "--view", "visits", "--week")
    assert run_app(args) == 0
    assert seen == {"hours": (7 * 60, 15 * 60), "week": True, "top": 7 * HOUR_HEIGHT - 22}
