"""Tax identifiers for any country: full check for Spain, a sanity check elsewhere."""

from __future__ import annotations

import re

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation.spanish_tax_ids import normalize_tax_id, validate_spanish_tax_id

_GENERIC_TAX_ID = re.compile(r"[A-Z0-9]{2,20}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_SPANISH_ID_LENGTH = 9


def validate_country_code(text: str, field: str = "country") -> str:
    """Return an upper-case ISO 3166 alpha-2 shape (``"es"`` → ``"ES"``) or fail ``"invalid_country"``."""
    code = text.strip().upper()
    if not _COUNTRY.fullmatch(code):
        raise ValidationError("invalid_country", field=field, params={"value": text})
    return code


def validate_tax_id(text: str, country: str, field: str = "tax_id") -> str:
    """Validate the tax id of an account based in ``country``; return it normalized.

    * Spain (``"ES"``): NIF, NIE or CIF with check characters.
    * An ``ES`` VAT number (``"ESB12345674"``) is checked as Spanish whatever the country,
      and keeps its prefix, since that is the number intra-EU invoices quote.
    * Anything else: 2-20 letters and digits after removing spaces, dashes, dots and slashes.

    Fails with ``"required"``, ``"invalid_tax_id"`` or ``"invalid_country"``.
    """
    country_code = validate_country_code(country)
    normalized = normalize_tax_id(text)
    if not normalized:
        raise ValidationError("required", field=field)
    if normalized.startswith("ES") and len(normalized) == 2 + _SPANISH_ID_LENGTH:
        try:
            return "ES" + validate_spanish_tax_id(normalized[2:], field)
        except ValidationError as error:
            error.params["value"] = text
            raise
    if country_code == "ES":
        return validate_spanish_tax_id(text, field)
    if not _GENERIC_TAX_ID.fullmatch(normalized):
        raise ValidationError(
            "invalid_tax_id", field=field, params={"value": text, "reason": "format"}
        )
    return normalized
