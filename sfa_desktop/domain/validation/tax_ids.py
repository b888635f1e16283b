"""Tax identifiers for any country: full check for Spain, a sanity check elsewhere.

The rules are the sync server's (:mod:`sync_server.protocol.formats.tax_ids`).
"""

from __future__ import annotations

from sync_server.protocol.formats import normalize_country, normalize_tax_id_for_country

from .shared_rules import shared_rule


def validate_country_code(text: str, field: str = "country") -> str:
    """Return an upper-case ISO 3166 alpha-2 shape (``"es"`` → ``"ES"``) or fail ``"invalid_country"``."""
    return shared_rule(normalize_country, text, field)


def validate_tax_id(text: str, country: str, field: str = "tax_id") -> str:
    """Validate the tax id of an account based in ``country``; return it normalized.

    * Spain (``"ES"``): NIF, NIE or CIF with check characters.
    * An ``ES`` VAT number (``"ESB12345674"``) is checked as Spanish whatever the country,
      and keeps its prefix, since that is the number intra-EU invoices quote.
    * Anything else: 2-20 letters and digits after removing spaces, dashes, dots and slashes.

    Fails with ``"required"``, ``"invalid_tax_id"`` or ``"invalid_country"``.
    """
    return shared_rule(normalize_tax_id_for_country, text, country, field)
