"""E-mail addresses and phone numbers, the customer's contact points.

E-mail checks syntax only (``check_deliverability=False``): no DNS lookup, so it works offline
and gives the same answer everywhere. Phones are stored in E.164 (``+34612345678``); a number
without its country prefix is read in ``default_region``, and on the wire (no region) only the
international form is accepted.
"""

from __future__ import annotations

import email_validator
import phonenumbers

from ..rejections import ValueRejected

_PHONE_REASONS = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
    phonenumbers.ValidationResult.TOO_SHORT: "too_short",
    phonenumbers.ValidationResult.INVALID_LENGTH: "invalid_length",
    phonenumbers.ValidationResult.TOO_LONG: "too_long",
}


def normalize_email(text: str, field: str = "email") -> str:
    """The normalized address (domain lower-cased, IDN-aware).

    ``required`` when blank, ``invalid_email`` otherwise (params ``value`` and ``detail``, the
    library's English explanation, for logs).
    """
    stripped = text.strip()
    if not stripped:
        raise ValueRejected(field, "required", "a value is required")
    try:
        result = email_validator.validate_email(stripped, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise ValueRejected(
            field, "invalid_email", "not an e-mail address", {"value": text, "detail": str(exc)}
        ) from exc
    return str(result.normalized)


def normalize_phone(text: str, field: str = "phone", default_region: str | None = "ES") -> str:
    """The number in E.164; national input is read in ``default_region``.

    Accepts ``"612 34 56 78"`` (with a region), ``"+34 612 345 678"`` and ``"0034612345678"``.
    ``required`` when blank and ``invalid_phone`` (params ``value``, ``reason``) when the number
    is impossible or not assigned in its numbering plan.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueRejected(field, "required", "a value is required")
    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException as exc:
        raise _invalid_phone(field, text, "not_a_number") from exc
    possibility = phonenumbers.is_possible_number_with_reason(number)
    if possibility not in (
        phonenumbers.ValidationResult.IS_POSSIBLE,
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ):
        raise _invalid_phone(field, text, _PHONE_REASONS.get(possibility, "invalid"))
    if not phonenumbers.is_valid_number(number):
        raise _invalid_phone(field, text, "invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _invalid_phone(field: str, text: str, reason: str) -> ValueRejected:
    return ValueRejected(
        field, "invalid_phone", f"not a phone number ({reason})", {"value": text, "reason": reason}
    )
