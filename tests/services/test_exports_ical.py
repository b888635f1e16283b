"""iCalendar export of visits, parsed back with the icalendar package."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.services.exports.icalendar_export import export_visits, visits_to_ical

MADRID = ZoneInfo("Europe/Madrid")
NOW = datetime(2026, 3, 20, 18, 45, tzinfo=UTC)

VISIT: dict[str, Any] = {
    "id": "0190d6c2-7c1e-7a00-8000-00000000000a",
    "kind": "visit",
    "status": "planned",
    "subject": "Presentación del catálogo",
    "planned_start": datetime(2026, 3, 30, 10, 0, tzinfo=MADRID),
    "planned_end": datetime(2026, 3, 30, 11, 30, tzinfo=MADRID),
    "notes": "Llevar muestras; preguntar por el almacén de Logroño.",
    "next_step": "Enviar presupuesto",
    "account_name": "Bodegas Ñandú, S.L.",
    "account_address": "Calle Mayor 1, 2º",
    "account_postal_code": "26001",
    "account_city": "Logroño",
    "account_latitude": 42.4627,
    "account_longitude": -2.4449,
    "contact_name": "Íñigo Núñez",
    "updated_at": datetime(2026, 3, 19, 9, 0, tzinfo=UTC),
}


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(data: bytes) -> list[Any]:
    return list(parse(data).walk("VEVENT"))


def test_calendar_header() -> None:
    calendar = parse(visits_to_ical([VISIT], calendar_name="Visitas de Íñigo", now=NOW))
    assert str(calendar["PRODID"]) == "-//SFA Desktop//ES"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Visitas de Íñigo"


def test_a_visit_becomes_a_full_event() -> None:
    data = visits_to_ical([VISIT], calendar_name="Agenda", now=NOW)
    assert b"DTSTART:20260330T080000Z" in data  # UTC, not floating or local
    assert "Logroño".encode() in data  # UTF-8, accents intact
    (event,) = events(data)
    assert str(event["UID"]) == VISIT["id"] + "@sfa-desktop"
    assert event.decoded("DTSTAMP") == NOW
    assert event.decoded("DTSTART") == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 30, 9, 30, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Visit: Bodegas Ñandú, S.L. — Presentación del catálogo"
    assert str(event["LOCATION"]) == "Calle Mayor 1, 2º, 26001 Logroño"
    assert str(event["DESCRIPTION"]) == (
        "Contact: Íñigo Núñez\n"
        "Llevar muestras; preguntar por el almacén de Logroño.\n"
        "Next step: Enviar presupuesto"
    )
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["GEO"].latitude == pytest.approx(42.4627)
    assert event["GEO"].longitude == pytest.approx(-2.4449)
    assert event.decoded("LAST-MODIFIED") == datetime(2026, 3, 19, 9, 0, tzinfo=UTC)


def test_statuses_and_translated_labels() -> None:
    visits = [
        {**VISIT, "id": "a", "status": "cancelled"},
        {**VISIT, "id": "b", "status": "no_show"},
        {**VISIT, "id": "c", "status": "done", "kind": "call", "subject": None},
    ]
    labels = {"visit": "Visita", "call": "Llamada", "contact": "Contacto"}
    found = {
        str(e["UID"]): e
        for e in events(visits_to_ical(visits, calendar_name="x", now=NOW, labels=labels))
    }
    assert str(found["a@sfa-desktop"]["STATUS"]) == "CANCELLED"
    assert str(found["b@sfa-desktop"]["STATUS"]) == "CANCELLED"
    assert str(found["c@sfa-desktop"]["STATUS"]) == "CONFIRMED"
    assert str(found["c@sfa-desktop"]["SUMMARY"]) == "Llamada: Bodegas Ñandú, S.L."
    assert str(found["a@sfa-desktop"]["DESCRIPTION"]).startswith("Contacto: Íñigo Núñez\n")
    assert str(found["a@sfa-desktop"]["DESCRIPTION"]).endswith("Next step: Enviar presupuesto")


def test_visits_without_a_start_are_skipped_and_counted() -> None:
    visits = [
        VISIT,
        {**VISIT, "id": "no-times", "planned_start": None, "planned_end": None},
        {"id": "bare", "kind": "task"},
        {**VISIT, "id": "no-end", "planned_end": None},
        {**VISIT, "id": "backwards", "planned_end": VISIT["planned_start"] - timedelta(hours=2)},
    ]
    result = export_visits(visits, calendar_name="Agenda", now=NOW)
    assert (result.exported, result.skipped) == (3, 2)
    found = {str(e["UID"]): e for e in events(result.data)}
    assert set(found) == {f"{key}@sfa-desktop" for key in (VISIT["id"], "no-end", "backwards")}
    for key in ("no-end", "backwards"):
        event = found[f"{key}@sfa-desktop"]
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1)


def test_minimal_visit_has_only_what_it_knows() -> None:
    visit = {"id": "m1", "planned_start": datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=MADRID)}
    (event,) = events(visits_to_ical([visit], calendar_name="x", now=NOW))
    assert event.decoded("DTSTART") == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # second 02:30
    assert str(event["SUMMARY"]) == "Visit"
    for absent in ("LOCATION", "DESCRIPTION", "GEO", "LAST-MODIFIED"):
        assert absent not in event


def test_long_text_is_folded_on_character_boundaries() -> None:
    data = visits_to_ical([{**VISIT, "notes": "Ñandú " * 60}], calendar_name="x", now=NOW)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    (event,) = events(data)
    assert ("Ñandú " * 60).strip() in str(event["DESCRIPTION"])


def test_empty_calendar_is_still_valid() -> None:
    result = export_visits([], calendar_name="Vacío", now=NOW)
    assert (result.exported, result.skipped) == (0, 0)
    calendar = parse(result.data)
    assert list(calendar.walk("VEVENT")) == []
    assert str(calendar["X-WR-CALNAME"]) == "Vacío"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        visits_to_ical(
            [{**VISIT, "planned_start": datetime(2026, 3, 30, 10)}], calendar_name="x", now=NOW
        )
    assert caught.value.code == "naive_datetime"
    with pytest.raises(ValidationError):
        visits_to_ical([VISIT], calendar_name="x", now=datetime(2026, 3, 20))
