"""The agenda clock of a running app: the system clock in the computer's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QTimeZone

from sfa_desktop.services.visits import DEFAULT_TIME_ZONE, AgendaClock


def system_time_zone() -> ZoneInfo:
    """The computer's IANA time zone (the agenda's default when it cannot be told)."""
    zone_id = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    try:
        return ZoneInfo(zone_id) if zone_id else DEFAULT_TIME_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIME_ZONE


def system_agenda_clock() -> AgendaClock:
    """The real clock, in the zone the date editors (local time) use too."""
    return AgendaClock(tz=system_time_zone())
