"""vCard export of contacts, read back with vobject."""

from __future__ import annotations

from typing import Any

import pytest
import vobject

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.services.exports.vcard import contact_to_vcard, contacts_to_vcards

INIGO: dict[str, Any] = {
    "id": "0190d6c2-7c1e-7a00-8000-000000000001",
    "account_id": "acc-1",
    "first_name": "Íñigo",
    "last_name": "Núñez Ibáñez",
    "job_title": "Director de Compras",
    "email": "inigo.nunez@bodegas-ñandu.es",
    "phone": "+34 912 345 678",
    "mobile": "+34 612 345 678",
    "notes": "Prefiere visitas los martes; habla euskera.\nSegunda línea con acentos: áéíóú ü ç "
    + "y una frase larga para que la línea se pliegue en varias partes sin romper caracteres.",
}


def types_of(line: Any) -> set[str]:
    return {value.upper() for value in line.params.get("TYPE", [])}


def test_every_field_survives_a_round_trip() -> None:
    text = contact_to_vcard(INIGO, "Bodegas Ñandú, S.L.")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    card = vobject.readOne(text)
    assert card.version.value == "3.0"
    assert card.n.value.given == "Íñigo"
    assert card.n.value.family == "Núñez Ibáñez"
    assert card.fn.value == "Íñigo Núñez Ibáñez"
    assert card.org.value == ["Bodegas Ñandú, S.L."]
    assert card.title.value == "Director de Compras"
    assert card.email.value == "inigo.nunez@bodegas-ñandu.es"
    assert "INTERNET" in types_of(card.email)
    phones = {tuple(sorted(types_of(line))): line.value for line in card.tel_list}
    assert phones == {
        ("VOICE", "WORK"): "+34 912 345 678",
        ("CELL", "VOICE"): "+34 612 345 678",
    }
    assert card.note.value == INIGO["notes"]
    assert card.uid.value == INIGO["id"] + "@sfa-desktop"


def test_long_lines_are_folded_without_breaking_accents() -> None:
    text = contact_to_vcard(INIGO, None)
    encoded = text.encode("utf-8")
    assert all(len(line) <= 75 for line in encoded.split(b"\r\n"))
    assert text.encode("utf-8").decode("utf-8") == text


def test_blank_and_missing_fields_are_left_out() -> None:
    contact = {"first_name": " Ana ", "last_name": None, "email": "", "phone": "  "}
    card = vobject.readOne(contact_to_vcard(contact, None))
    assert card.fn.value == "Ana"
    assert card.n.value.given == "Ana" and card.n.value.family == ""
    for absent in ("org", "title", "email", "tel", "note", "uid"):
        assert absent not in card.contents


def test_account_name_falls_back_to_the_display_key() -> None:
    card = vobject.readOne(contact_to_vcard({**INIGO, "account_name": "Ferretería Ávila"}, None))
    assert card.org.value == ["Ferretería Ávila"]
    card = vobject.readOne(contact_to_vcard({**INIGO, "account_name": "Otra"}, "Primera"))
    assert card.org.value == ["Primera"]


def test_special_characters_are_escaped() -> None:
    contact = {"first_name": "Ana; María", "last_name": "Pérez, de la Fuente", "notes": "a\\b"}
    card = vobject.readOne(contact_to_vcard(contact, "Uno; Dos"))
    assert card.n.value.given == "Ana; María"
    assert card.n.value.family == "Pérez, de la Fuente"
    assert card.note.value == "a\\b"
    assert card.org.value == ["Uno; Dos"]


def test_a_contact_without_a_name_uses_its_email_or_account() -> None:
    card = vobject.readOne(contact_to_vcard({"email": "info@example.es"}, None))
    assert card.fn.value == "info@example.es"
    card = vobject.readOne(contact_to_vcard({}, "Cliente Genérico"))
    assert card.fn.value == "Cliente Genérico"
    with pytest.raises(ValidationError) as caught:
        contact_to_vcard({"notes": "¿quién?"}, None)
    assert caught.value.code == "required"


def test_many_contacts_in_one_file() -> None:
    contacts = [
        INIGO,
        {"id": "c2", "account_id": "acc-2", "first_name": "Begoña", "last_name": "Sáez"},
        {"id": "c3", "account_id": "acc-9", "first_name": "Zoë", "account_name": "Fallback"},
    ]
    names = {"acc-1": "Bodegas Ñandú", "acc-2": "Cafés Güell"}
    text = contacts_to_vcards(contacts, account_names=names)
    cards = list(vobject.readComponents(text))
    assert [card.fn.value for card in cards] == ["Íñigo Núñez Ibáñez", "Begoña Sáez", "Zoë"]
    assert [card.org.value[0] for card in cards] == ["Bodegas Ñandú", "Cafés Güell", "Fallback"]
    assert contacts_to_vcards([]) == ""
