"""E-mail addresses and phone numbers, the customer's contact points.

E-mail checks syntax only (``check_deliverability=False``): no DNS lookup, so it works offline
and gives the same answer everywhere. Phones are stored in E.164 (``+34612345678``).
"""

from __future__ import annotations

import email_validator
import phonenumbers

from sfa_desktop.domain.errors import ValidationError

_PHONE_REASONS = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
    phonenumbers.ValidationResult.TOO_SHORT: "too_short",
    phonenumbers.ValidationResult.INVALID_LENGTH: "invalid_length",
    phonenumbers.ValidationResult.TOO_LONG: "too_long",
}


def validate_email(text: str, field: str = "email") -> str:
    """Return the normalized address (domain lower-cased, IDN-aware).

    Fails with ``"required"`` when blank, ``"invalid_email"`` otherwise; params ``value``
    and ``detail`` (the library's English explanation, for logs).
    """
    stripped = text.strip()
    if not stripped:
        raise ValidationError("required", field=field)
    try:
        result = email_validator.validate_email(stripped, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise ValidationError(
            "invalid_email", field=field, params={"value": text, "detail": str(exc)}
        ) from exc
    return str(result.normalized)


def validate_phone(text: str, field: str = "phone", default_region: str = "ES") -> str:
    """Return the number in E.164; national input is read in ``default_region``.

    Accepts ``"612 34 56 78"``, ``"+34 612 345 678"`` and ``"0034612345678"``. Fails with
    ``"required"`` when blank and ``"invalid_phone"`` (params ``value``, ``reason``) when the
    number is impossible or not assigned in its numbering plan.
    """
    stripped = text.strip()
    if not stripped:
        raise ValidationError("required", field=field)
    try:
        number = phonenumbers.parse(stripped, default_region.upper())
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "invalid_phone", field=field, params={"value": text, "reason": "not_a_number"}
        ) from exc
    possibility = phonenumbers.is_possible_number_with_reason(number)
    if possibility not in (
        phonenumbers.ValidationResult.IS_POSSIBLE,
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ):
        reason = _PHONE_REASONS.get(possibility, "invalid")
        raise ValidationError(
            "invalid_phone", field=field, params={"value": text, "reason": reason}
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "invalid_phone", field=field, params={"value": text, "reason": "invalid"}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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
