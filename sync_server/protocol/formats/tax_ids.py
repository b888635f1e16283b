"""Tax identifiers for any country: full check for Spain, a sanity check elsewhere."""

from __future__ import annotations

import re

from ..rejections import ValueRejected
from .places import normalize_country
from .spanish_tax_ids import normalize_tax_id, validate_spanish_tax_id

_GENERIC_TAX_ID = re.compile(r"[A-Z0-9]{2,20}")
_SPANISH_ID_LENGTH = 9


def normalize_tax_id_for_country(text: str, country: str, field: str = "tax_id") -> str:
    """The tax id of an account based in ``country``, normalized.

    * Spain (``"ES"``): NIF, NIE or CIF with check characters.
    * An ``ES`` VAT number (``"ESB12345674"``) is checked as Spanish whatever the country,
      and keeps its prefix, since that is the number intra-EU invoices quote.
    * Anything else: 2-20 letters and digits after removing spaces, dashes, dots and slashes.

    Fails with ``required``, ``invalid_tax_id`` or ``invalid_country``.
    """
    country_code = normalize_country(country)
    normalized = normalize_tax_id(text)
    if not normalized:
        raise ValueRejected(field, "required", "a value is required")
    if normalized.startswith("ES") and len(normalized) == 2 + _SPANISH_ID_LENGTH:
        try:
            return "ES" + validate_spanish_tax_id(normalized[2:], field)
        except ValueRejected as error:
            error.params["value"] = text
            raise
    if country_code == "ES":
        return validate_spanish_tax_id(text, field)
    if not _GENERIC_TAX_ID.fullmatch(normalized):
        raise ValueRejected(
            field, "invalid_tax_id", "not a valid tax id", {"value": text, "reason": "format"}
        )
    return normalized
