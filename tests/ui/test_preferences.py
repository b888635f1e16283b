"""Preferences: remembered in a JSON file, written atomically, never blocking startup."""

from __future__ import annotations

import json
from pathlib import Path

from sfa_desktop.services.preferences import (
    Preferences,
    load_preferences,
    preferences_path,
    save_preferences,
)


def test_defaults_when_nothing_is_saved(tmp_path: Path) -> None:
    assert load_preferences(tmp_path) == Preferences(language=None, last_view=None)


def test_round_trip_leaves_no_temporary_files(tmp_path: Path) -> None:
    save_preferences(tmp_path, Preferences(language="es", last_view="accounts"))
    save_preferences(tmp_path, load_preferences(tmp_path).with_changes(language="en"))
    assert load_preferences(tmp_path) == Preferences(language="en", last_view="accounts")
    assert [p.name for p in tmp_path.iterdir()] == ["preferences.json"]
    assert json.loads(preferences_path(tmp_path).read_text(encoding="utf-8")) == {
        "language": "en",
        "last_view": "accounts",
    }


def test_a_damaged_file_gives_the_defaults(tmp_path: Path) -> None:
    preferences_path(tmp_path).write_text('{"language": "es", ', encoding="utf-8")
    assert load_preferences(tmp_path) == Preferences()
    preferences_path(tmp_path).write_text("[1, 2]", encoding="utf-8")
    assert load_preferences(tmp_path) == Preferences()


def test_unknown_keys_and_wrong_types_are_ignored(tmp_path: Path) -> None:
    preferences_path(tmp_path).write_text(
        json.dumps({"language": 7, "last_view": "quotes", "theme": "dark"}), encoding="utf-8"
    )
    assert load_preferences(tmp_path) == Preferences(language=None, last_view="quotes")
