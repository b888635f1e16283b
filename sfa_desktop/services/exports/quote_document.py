"""What a quote PDF shows, as plain values (no database, no Qt).

The service that exports a quote fills a :class:`QuoteDocument` from the quote, its lines, the
account, the contact and the server-managed company settings; :func:`render_quote_pdf` in
:mod:`sfa_desktop.services.exports.quote_pdf` turns it into bytes. Amounts are ``Decimal`` in
major units (12.5 is 12,50 €); the totals are not passed in: the renderer computes them with the
one rule, :func:`sync_server.protocol.quote_totals.quote_totals`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sync_server.protocol.quote_totals import LineKind

DocumentLanguage = Literal["es", "en"]

FINAL_STATUSES = frozenset({"approved", "sent", "accepted"})
"""Statuses printed without the "BORRADOR"/"DRAFT" watermark."""


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The issuing company, from the server-managed company settings."""

    company_name: str
    tax_id: str = ""
    address_lines: tuple[str, ...] = ()
    logo_png: bytes | None = None
    bank_line: str = ""
    footer: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class CustomerBlock:
    """The customer (account) and the person the quote is addressed to."""

    name: str
    tax_id: str = ""
    address_lines: tuple[str, ...] = ()
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One row of the lines table, in position order.

    ``kind`` is ``"item"`` (a product or service with figures), ``"section"`` (a heading whose
    subtotal is printed after its last line; ``description`` is its title) or ``"text"`` (free
    text, no figures). An ``optional`` item is shown with its amount but not added to the total.
    """

    description: str
    kind: LineKind = "item"
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = Decimal(0)
    discount_pct: Decimal = Decimal(0)
    tax_rate_pct: Decimal = Decimal(21)
    optional: bool = False
    sku: str = ""


@dataclass(frozen=True, slots=True)
class QuoteDocument:
    """Everything printed on a quote; ``language`` is the account's (es or en)."""

    letterhead: Letterhead
    customer: CustomerBlock
    number: str
    revision: int
    issue_date: dt.date
    valid_until: dt.date | None
    currency: str
    language: DocumentLanguage
    status: str
    lines: tuple[DocumentLine, ...]
    terms: str = ""
    note: str = ""
    prepared_by: str = ""

    @property
    def is_draft(self) -> bool:
        """True until the quote is approved, sent or accepted (the watermark shows)."""
        return self.status not in FINAL_STATUSES
