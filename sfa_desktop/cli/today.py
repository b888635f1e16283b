"""``sfa today``: the day's route and follow-ups, from the same service as the Today view.

    sfa today [--date YYYY-MM-DD] [--json]

The route keeps appointment times (:mod:`sfa_desktop.domain.day_route`) and starts from the
start point chosen in the desktop app (its preferences file), else from the first visit; the
travel estimate and working day come from the same preferences. Times are local to the
computer's time zone (``$TZ``, else ``/etc/localtime``), as in the desktop app; in JSON they are
UTC instants. Done visits are listed first (``done``), then the route, then visits without a
location (``position`` ``null``).

``--json``::

    {"date", "time_zone", "start": {"label", "latitude", "longitude"} | null,
     "start_is_first_visit", "total_km", "done", "visits",
     "stops": [{"position", "visit_id", "account_id", "account", "kind", "status",
                "planned_start", "planned_end", "flexible", "arrival", "leg_km",
                "late_minutes", "fits", "warning"}, …],
     "follow_ups": [{"visit_id", "account_id", "account", "due", "overdue", "subject",
                     "kind"}, …]}

``kind`` of a follow-up: ``task`` (an open task) or ``follow_up`` (a done activity whose
follow-up date has come and that nothing follows up yet). ``warning``: ``late``,
``does_not_fit`` or ``null``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sfa_desktop.i18n import _, ngettext
from sfa_desktop.services.preferences import load_preferences
from sfa_desktop.services.today import (
    RouteStop,
    StartPoint,
    TodayData,
    load_today,
    route_settings,
)
from sfa_desktop.services.visits import DEFAULT_TIME_ZONE, AgendaClock

from .context import CommandContext
from .output import print_json, print_table


def date_argument(text: str) -> dt.date:
    """An argparse ``type`` for ``--date`` (one clear line for a bad one)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a date (YYYY-MM-DD)").format(value=text)
        ) from None


def local_time_zone() -> ZoneInfo:
    """The computer's IANA time zone, which the desktop app's agenda uses too: ``$TZ``, else
    where ``/etc/localtime`` points, else the agenda's default (Europe/Madrid)."""
    names = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        names.append(target.split("zoneinfo/", 1)[1])
    for name in names:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return DEFAULT_TIME_ZONE


def _clock(ctx: CommandContext, day: dt.date | None) -> AgendaClock:
    tz = local_time_zone()
    if day is None:
        return AgendaClock(now=ctx.env.now, tz=tz)
    return AgendaClock.fixed(dt.datetime.combine(day, dt.time(12), tzinfo=tz), tz)


def run_today(ctx: CommandContext, args: argparse.Namespace) -> int:
    preferences = load_preferences(ctx.data_dir())
    clock = _clock(ctx, args.date)
    with ctx.database() as database, database.session() as session:
        data = load_today(
            session,
            clock=clock,
            start_point=StartPoint.from_preference(preferences.route_start),
            settings=route_settings(preferences),
        )
    if ctx.json:
        print_json(today_json(data, clock), ctx.out)
    else:
        _print_today(ctx, data, clock)
    return 0


def _local(instant: dt.datetime | None, clock: AgendaClock) -> dt.datetime | None:
    return None if instant is None else instant.astimezone(clock.tz)


def _warning(stop: RouteStop) -> str | None:
    if stop.late:
        return "late"
    if not stop.fits:
        return "does_not_fit"
    return None


def today_json(data: TodayData, clock: AgendaClock) -> dict[str, Any]:
    start = data.start
    return {
        "date": data.day,
        "time_zone": clock.tz.key,
        "start": None
        if start is None
        else {"label": start.label, "latitude": start.latitude, "longitude": start.longitude},
        "start_is_first_visit": data.start_is_first_visit,
        "total_km": round(data.total_km, 3),
        "done": data.done_count,
        "visits": len(data.stops),
        "stops": [_stop_json(stop, clock) for stop in data.stops],
        "follow_ups": _follow_ups_json(data),
    }


def _stop_json(stop: RouteStop, clock: AgendaClock) -> dict[str, Any]:
    row = stop.stop
    return {
        "position": stop.position,
        "visit_id": row.visit_id,
        "account_id": row.account_id,
        "account": row.account_name,
        "kind": row.kind,
        "status": row.status,
        "planned_start": _local(row.planned_start, clock),
        "planned_end": _local(row.planned_end, clock),
        "flexible": stop.flexible,
        "arrival": _local(stop.arrival, clock),
        "leg_km": None if stop.leg_km is None else round(stop.leg_km, 3),
        "late_minutes": round(stop.late_minutes, 1),
        "fits": stop.fits,
        "warning": _warning(stop),
    }


def _follow_ups_json(data: TodayData) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "visit_id": task.visit_id,
            "account_id": task.account_id,
            "account": task.task.account_name,
            "due": task.due,
            "overdue": task.overdue,
            "subject": task.task.subject,
            "kind": "task",
        }
        for task in data.tasks
    ]
    rows += [
        {
            "visit_id": row.visit_id,
            "account_id": row.account_id,
            "account": row.account_name,
            "due": row.follow_up_date,
            "overdue": row.follow_up_date < data.day,
            "subject": row.next_step or row.subject,
            "kind": "follow_up",
        }
        for row in data.follow_ups
    ]
    return rows


# --- text ----------------------------------------------------------------------------------------


def _hhmm(instant: dt.datetime | None, clock: AgendaClock) -> str:
    local = _local(instant, clock)
    return "" if local is None else local.strftime("%H:%M")


def _planned_text(stop: RouteStop, clock: AgendaClock) -> str:
    if stop.flexible:
        return _("any time")
    row = stop.stop
    return f"{_hhmm(row.planned_start, clock)}–{_hhmm(row.planned_end, clock)}"


def _warning_text(stop: RouteStop) -> str:
    if stop.late:
        minutes = max(1, round(stop.late_minutes))
        return ngettext("{count} min late", "{count} min late", minutes).format(count=minutes)
    if not stop.fits:
        return _("does not fit the working day")
    return ""


def _stop_cells(stop: RouteStop, clock: AgendaClock) -> list[str]:
    position = "-" if stop.position is None else str(stop.position)
    return [
        "✓" if stop.done else position,
        stop.stop.account_name or "?",
        _planned_text(stop, clock),
        _hhmm(stop.arrival, clock),
        "" if stop.leg_km is None else f"{stop.leg_km:.1f}",
        _("done") if stop.done else _warning_text(stop),
    ]


def _print_today(ctx: CommandContext, data: TodayData, clock: AgendaClock) -> None:
    out = ctx.out
    out.write(
        _("Today {date}: {done} of {count} visits done, {km:.1f} km").format(
            date=data.day.isoformat(),
            done=data.done_count,
            count=len(data.stops),
            km=data.total_km,
        )
        + "\n"
    )
    if data.start is not None:
        out.write(_("Starting from {place}").format(place=data.start.label) + "\n")
    if data.stops:
        headers = ["#", _("account"), _("planned"), _("arrival"), _("km"), _("warning")]
        print_table(headers, [_stop_cells(stop, clock) for stop in data.stops], out)
    else:
        out.write(_("No visits planned.") + "\n")
    follow_ups = _follow_ups_json(data)
    out.write("\n" + _("Follow-ups due: {count}").format(count=len(follow_ups)) + "\n")
    if follow_ups:
        table = [
            [
                row["due"].isoformat() + (" !" if row["overdue"] else ""),
                row["account"] or "?",
                row["subject"] or "",
            ]
            for row in follow_ups
        ]
        print_table([_("due"), _("account"), _("what")], table, out)


def add_today_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    today = commands.add_parser(
        "today", parents=[json_parent], help=_("the day's route and follow-ups due")
    )
    today.add_argument(
        "--date", type=date_argument, metavar="D", help=_("the day (YYYY-MM-DD); default: today")
    )
    today.set_defaults(run=run_today)
