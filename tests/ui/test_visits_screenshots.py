"""``sfa-desktop --view today|visits --screenshot`` in Spanish and English: real, non-blank PNGs
taken once the data is shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from sfa_desktop import app
from sfa_desktop.demo.loader import load_demo
from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import database_path


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo profile built around the real today (the app runs on the real clock here)."""
    data_dir = tmp_path_factory.mktemp("visits-shots") / "profile"
    data_dir.mkdir()
    with open_database(database_path(data_dir)) as database:
        load_demo(database, accounts=80, today=dt.date.today())
    return data_dir


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("view", ["today", "visits"])
def test_screenshots_of_today_and_visits_are_not_blank(
    qapp: object, demo_dir: Path, tmp_path: Path, view: str, language: str
) -> None:
    shot = tmp_path / f"{view}-{language}.png"
    args = [
        "--data-dir",
        str(demo_dir),
        "--view",
        view,
        "--lang",
        language,
        "--screenshot",
        str(shot),
    ]
    assert app.main(args) == 0
    image = QImage(str(shot))
    assert not image.isNull() and (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 10, "the screenshot looks blank"
    # The workspace's own part of the window has content (text), not only the sidebar.
    content = {image.pixel(x, y) for x in range(220, 1260, 8) for y in range(100, 400, 8)}
    assert len(content) > 5
