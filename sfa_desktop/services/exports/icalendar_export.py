"""Visits as an iCalendar file (RFC 5545) for Outlook, Google Calendar, Thunderbird…

A visit is a mapping with the catalog's field names: ``id``, ``kind``, ``status``,
``subject``, ``planned_start`` and ``planned_end`` (aware datetimes), ``notes``,
``next_step`` and, when present, ``updated_at`` (aware datetime). Display keys, all optional:

* ``account_name``: goes into SUMMARY;
* ``account_address``, ``account_postal_code``, ``account_city``: LOCATION;
* ``account_latitude``, ``account_longitude``: GEO;
* ``contact_name``: first line of DESCRIPTION.

Visits without ``planned_start`` are skipped and counted. A missing end (or one not after the
start) gives an event of :data:`DEFAULT_DURATION`. Times are written in UTC, so no VTIMEZONE
is needed. The UID is the visit id + ``"@sfa-desktop"``: importing again updates the events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from sfa_desktop.domain.validation.dates import ensure_aware_utc

PRODID = "-//SFA Desktop//ES"
UID_SUFFIX = "@sfa-desktop"
DEFAULT_DURATION = timedelta(hours=1)

#: Activity status → VEVENT STATUS. No-shows did not take place, like cancellations.
STATUS_MAP: Mapping[str, str] = {
    "planned": "CONFIRMED",
    "done": "CONFIRMED",
    "cancelled": "CANCELLED",
    "no_show": "CANCELLED",
}

#: English labels; pass translated ones (same keys) through ``labels``.
DEFAULT_LABELS: Mapping[str, str] = {
    "visit": "Visit",
    "call": "Call",
    "email": "E-mail",
    "meeting": "Meeting",
    "task": "Task",
    "contact": "Contact",
    "next_step": "Next step",
}


@dataclass(frozen=True, slots=True)
class CalendarExport:
    """The ``.ics`` bytes (UTF-8) and how many visits went in or were left out."""

    data: bytes
    exported: int
    skipped: int


def _text(visit: Mapping[str, Any], key: str) -> str:
    value = visit.get(key)
    return str(value).strip() if value is not None else ""


def _summary(visit: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    kind = _text(visit, "kind") or "visit"
    head = labels.get(kind, kind.capitalize())
    if account := _text(visit, "account_name"):
        head = f"{head}: {account}"
    subject = _text(visit, "subject")
    return f"{head} — {subject}" if subject else head


def _location(visit: Mapping[str, Any]) -> str:
    town = " ".join(
        p for p in (_text(visit, "account_postal_code"), _text(visit, "account_city")) if p
    )
    return ", ".join(p for p in (_text(visit, "account_address"), town) if p)


def _description(visit: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    lines: list[str] = []
    if contact := _text(visit, "contact_name"):
        lines.append(f"{labels['contact']}: {contact}")
    if notes := _text(visit, "notes"):
        lines.append(notes)
    if next_step := _text(visit, "next_step"):
        lines.append(f"{labels['next_step']}: {next_step}")
    return "\n".join(lines)


def _event(
    visit: Mapping[str, Any], start: datetime, now: datetime, labels: Mapping[str, str]
) -> Event:
    end_value = visit.get("planned_end")
    end = ensure_aware_utc(end_value, "planned_end") if isinstance(end_value, datetime) else None
    if end is None or end <= start:
        end = start + DEFAULT_DURATION
    event = Event()
    event.add("uid", _text(visit, "id") + UID_SUFFIX)
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", _summary(visit, labels))
    event.add("status", STATUS_MAP.get(_text(visit, "status"), "CONFIRMED"))
    if location := _location(visit):
        event.add("location", location)
    if description := _description(visit, labels):
        event.add("description", description)
    lat, lon = visit.get("account_latitude"), visit.get("account_longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        event.add("geo", (float(lat), float(lon)))
    updated = visit.get("updated_at")
    if isinstance(updated, datetime):
        event.add("last-modified", ensure_aware_utc(updated, "updated_at"))
    return event


def export_visits(
    visits: Iterable[Mapping[str, Any]],
    *,
    calendar_name: str,
    now: datetime,
    labels: Mapping[str, str] | None = None,
) -> CalendarExport:
    """Build the calendar: one VEVENT per visit with a planned start.

    ``now`` (aware) is the DTSTAMP of every event. Raises ``ValidationError`` with code
    ``naive_datetime`` if a time has no time zone.
    """
    stamp = ensure_aware_utc(now, "now")
    merged = {**DEFAULT_LABELS, **(labels or {})}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    exported = skipped = 0
    for visit in visits:
        start_value = visit.get("planned_start")
        if not isinstance(start_value, datetime):
            skipped += 1
            continue
        start = ensure_aware_utc(start_value, "planned_start")
        calendar.add_component(_event(visit, start, stamp, merged))
        exported += 1
    return CalendarExport(data=calendar.to_ical(), exported=exported, skipped=skipped)


def visits_to_ical(
    visits: Iterable[Mapping[str, Any]],
    *,
    calendar_name: str,
    now: datetime,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """The ``.ics`` bytes of :func:`export_visits` (use that one to learn the counts)."""
    return export_visits(visits, calendar_name=calendar_name, now=now, labels=labels).data
