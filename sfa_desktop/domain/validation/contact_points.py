"""E-mail addresses and phone numbers, the customer's contact points.

The rules are the sync server's (:mod:`sync_server.protocol.formats.contact_points`): e-mail
checks syntax only (no DNS lookup, so it works offline), phones are stored in E.164
(``+34612345678``).
"""

from __future__ import annotations

import phonenumbers

from sync_server.protocol.formats import normalize_email, normalize_phone

from .shared_rules import shared_rule


def validate_email(text: str, field: str = "email") -> str:
    """Return the normalized address (domain lower-cased, IDN-aware).

    Fails with ``"required"`` when blank, ``"invalid_email"`` otherwise; params ``value``
    and ``detail`` (the library's English explanation, for logs).
    """
    return shared_rule(normalize_email, text, field)


def validate_phone(text: str, field: str = "phone", default_region: str = "ES") -> str:
    """Return the number in E.164; national input is read in ``default_region``.

    Accepts ``"612 34 56 78"``, ``"+34 612 345 678"`` and ``"0034612345678"``. Fails with
    ``"required"`` when blank and ``"invalid_phone"`` (params ``value``, ``reason``) when the
    number is impossible or not assigned in its numbering plan.
    """
    return shared_rule(normalize_phone, text, field, default_region)


def format_phone(e164: str, home_region: str = "ES") -> str:
    """Display form: national (``"612 34 56 78"``) at home, international abroad.

    Text that does not parse is returned unchanged, so a display never fails.
    """
    try:
        number = phonenumbers.parse(e164, home_region.upper())
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == home_region.upper()
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
