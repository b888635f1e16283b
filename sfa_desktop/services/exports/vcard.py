"""Contacts as vCard 3.0 (RFC 2426), for phones and address books.

A contact is a mapping with the catalog's field names: ``id``, ``account_id``,
``first_name``, ``last_name``, ``job_title``, ``email``, ``phone``, ``mobile``, ``notes``
(missing or blank ones are left out). ``account_name``, a display key, may hold the name of the
contact's account when it is not passed separately.

The result is text with CRLF line endings; write it as UTF-8 (vCard 3.0 has no other charset
marker). vobject folds long lines on character boundaries, so accents survive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import vobject

from sfa_desktop.domain.errors import ValidationError

UID_SUFFIX = "@sfa-desktop"


def _text(contact: Mapping[str, Any], key: str) -> str:
    value = contact.get(key)
    return str(value).strip() if value is not None else ""


def _formatted_name(contact: Mapping[str, Any], account_name: str) -> str:
    """The display name: the person's name, else e-mail, phone or account as a last resort."""
    name = " ".join(
        part for part in (_text(contact, "first_name"), _text(contact, "last_name")) if part
    )
    for candidate in (
        name,
        _text(contact, "email"),
        _text(contact, "mobile"),
        _text(contact, "phone"),
    ):
        if candidate:
            return candidate
    if account_name:
        return account_name
    raise ValidationError("required", field="first_name")


def contact_to_vcard(contact: Mapping[str, Any], account_name: str | None) -> str:
    """One contact as a vCard 3.0 text (``BEGIN:VCARD`` … ``END:VCARD``).

    ``account_name`` (or else ``contact["account_name"]``) becomes ORG. Raises
    ``ValidationError("required", field="first_name")`` if the contact has nothing to be
    named by (no name, e-mail, phone or account).
    """
    org = (account_name or _text(contact, "account_name")).strip()
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(
        family=_text(contact, "last_name"), given=_text(contact, "first_name")
    )
    card.add("fn").value = _formatted_name(contact, org)
    if record_id := _text(contact, "id"):
        card.add("uid").value = record_id + UID_SUFFIX
    if org:
        card.add("org").value = [org]
    if title := _text(contact, "job_title"):
        card.add("title").value = title
    if email := _text(contact, "email"):
        line = card.add("email")
        line.value = email
        line.type_paramlist = ["INTERNET", "WORK"]
    for key, kind in (("phone", ["WORK", "VOICE"]), ("mobile", ["CELL", "VOICE"])):
        if number := _text(contact, key):
            line = card.add("tel")
            line.value = number
            line.type_paramlist = kind
    if notes := _text(contact, "notes"):
        card.add("note").value = notes
    return str(card.serialize())


def contacts_to_vcards(
    contacts: Iterable[Mapping[str, Any]], *, account_names: Mapping[str, str] | None = None
) -> str:
    """Many contacts as one ``.vcf`` text, one vCard after another.

    The account name of each comes from ``account_names[contact["account_id"]]`` when given,
    else from the contact's ``account_name`` key.
    """
    names = account_names or {}
    return "".join(
        contact_to_vcard(contact, names.get(_text(contact, "account_id"))) for contact in contacts
    )
