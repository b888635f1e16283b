"""How the agenda shows days, weeks, times and distances, in the current language (babel)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel.numbers import format_decimal

from sfa_desktop.i18n import _, enum_label, locale_for_formatting
from sfa_desktop.services.visits import ScheduleWarnings

TIME_PATTERN = "HH:mm"


def day_heading(day: dt.date) -> str:
    """ "Miércoles, 25 de noviembre de 2026" / "Wednesday, 25 November 2026"."""
    text = str(babel_dates.format_date(day, format="full", locale=locale_for_formatting()))
    return text[:1].upper() + text[1:]


def week_heading(first: dt.date, last: dt.date) -> str:
    """ "23–29 nov 2026" / "30 Nov – 6 Dec 2026"."""
    return str(babel_dates.format_interval(first, last, "yMMMd", locale=locale_for_formatting()))


def short_day(day: dt.date) -> str:
    """ "Mié 25" / "Wed 25": a day in the week view."""
    text = str(babel_dates.format_date(day, format="EEE d", locale=locale_for_formatting()))
    return text[:1].upper() + text[1:]


def show_time(instant: dt.datetime | None, tz: ZoneInfo) -> str:
    """ "09:30" in ``tz`` ("" for none)."""
    if instant is None:
        return ""
    local = instant.astimezone(tz)
    return str(babel_dates.format_time(local, TIME_PATTERN, locale=locale_for_formatting()))


def time_range(start: dt.datetime | None, end: dt.datetime | None, tz: ZoneInfo) -> str:
    """ "09:30–10:15" ("09:30" without an end)."""
    if start is None:
        return ""
    if end is None or end <= start:
        return show_time(start, tz)
    return f"{show_time(start, tz)}–{show_time(end, tz)}"


def show_km(km: float) -> str:
    """ "12,4 km" / "12.4 km"."""
    number = format_decimal(km, format="#,##0.0", locale=locale_for_formatting())
    return _("{km} km").format(km=number)


def kind_label(kind: str) -> str:
    return enum_label("activity_kind", kind)


def status_text(status: str, checked_in_at: dt.datetime | None, tz: ZoneInfo) -> str:
    """The status label; a planned visit already checked in says since when."""
    if status == "planned" and checked_in_at is not None:
        return _("Checked in at {time}").format(time=show_time(checked_in_at, tz))
    return enum_label("activity_status", status)


def warning_lines(warnings: ScheduleWarnings, tz: ZoneInfo) -> list[str]:
    """The lines saying a time has passed and what it overlaps (none when nothing to say)."""
    lines: list[str] = []
    if warnings.past:
        lines.append(_("This time has already passed."))
    if warnings.overlaps:
        lines.append(_("It overlaps your planned visits:"))
        lines += [
            f"• {time_range(row.planned_start, row.planned_end, tz)} · {row.account_name or '—'}"
            for row in warnings.overlaps
        ]
    return lines
