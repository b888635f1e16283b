"""The user's desktop preferences, kept in a small JSON file in the profile folder.

Qt-free so that the ``sfa`` CLI can read them too. A missing or unreadable file gives the
defaults (preferences must never stop the app from starting); writes are atomic (a temporary
file in the same folder, then ``os.replace``), so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

PREFERENCES_FILENAME = "preferences.json"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preferences:
    """What the desktop app remembers between runs. ``None`` means "not chosen yet"."""

    language: str | None = None
    last_view: str | None = None
    #: where today's route starts: ``StartPoint.to_preference()`` text ("lat,lon,label")
    route_start: str | None = None
    #: travel estimate of the route: road kilometres per straight-line kilometre ("1.3")
    route_road_factor: str | None = None
    #: travel estimate of the route: average speed in km/h ("50")
    route_speed_kmh: str | None = None
    #: the working day visits without a time fit in: "08:00-18:00"
    working_hours: str | None = None

    def with_changes(self, **changes: Any) -> Preferences:
        """A copy with some values replaced."""
        return replace(self, **changes)


def preferences_path(data_dir: Path) -> Path:
    """The preferences file of a profile folder."""
    return Path(data_dir) / PREFERENCES_FILENAME


def _from_json(data: object) -> Preferences:
    if not isinstance(data, dict):
        return Preferences()
    values: dict[str, Any] = {}
    for spec in fields(Preferences):
        value = data.get(spec.name)
        if value is None or isinstance(value, str):
            values[spec.name] = value
    return Preferences(**values)


def load_preferences(data_dir: Path) -> Preferences:
    """The saved preferences, or the defaults if there are none or the file is unreadable.

    Unreadable covers everything a file can be: missing, a folder, not allowed, not UTF-8,
    not JSON, JSON nested deeper than the parser goes. It is logged and left alone (the next
    save replaces it).
    """
    path = preferences_path(data_dir)
    try:
        text = path.read_bytes().decode("utf-8-sig")  # a BOM (Notepad) is fine
    except FileNotFoundError:
        return Preferences()
    except (OSError, UnicodeDecodeError) as exc:
        _log.warning("cannot read %s: %s", path, exc)
        return Preferences()
    try:
        return _from_json(json.loads(text))
    except (ValueError, RecursionError) as exc:
        _log.warning("ignoring malformed preferences file %s: %s", path, exc)
        return Preferences()


def save_preferences(data_dir: Path, preferences: Preferences) -> None:
    """Write ``preferences`` atomically; raises ``OSError`` if the folder is not writable."""
    path = preferences_path(data_dir)
    chosen = {name: value for name, value in asdict(preferences).items() if value is not None}
    payload = json.dumps(chosen, indent=2, sort_keys=True) + "\n"
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".preferences-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as temp_file:
            temp_file.write(payload)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
