"""The words printed on a quote PDF, in the document's language (not the UI's).

A quote goes out in the account's language, whatever language the rep's UI speaks, so these
are read from the catalog of ``language`` directly (``msgctxt "quote document"`` in
``resources/translations/es.po``) instead of through the UI's current-language ``_()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sfa_desktop.i18n.catalogs import load_translations


@dataclass(frozen=True, slots=True)
class QuoteLabels:
    """Every fixed text of the document; ``{placeholders}`` are filled by the renderer."""

    title: str
    number: str
    revision: str
    issue_date: str
    valid_until: str
    tax_id: str
    customer: str
    attention: str
    prepared_by: str
    description: str
    quantity: str
    unit_price: str
    discount: str
    tax_rate: str
    amount: str
    optional: str
    section_subtotal: str
    optional_note: str
    rate: str
    base: str
    tax: str
    subtotal: str
    tax_total: str
    total: str
    terms: str
    validity: str
    acceptance: str
    acceptance_text: str
    name_and_role: str
    signature: str
    date: str
    stamp: str
    page: str
    continued: str
    draft: str


def quote_labels(language: str) -> QuoteLabels:
    """The labels in ``language`` ("es" or "en"; English is the source text)."""
    t = load_translations(language)
    return QuoteLabels(
        title=t.pgettext("quote document", "QUOTE"),
        number=t.pgettext("quote document", "Number"),
        revision=t.pgettext("quote document", "Revision"),
        issue_date=t.pgettext("quote document", "Date"),
        valid_until=t.pgettext("quote document", "Valid until"),
        tax_id=t.pgettext("quote document", "Tax ID"),
        customer=t.pgettext("quote document", "Customer"),
        attention=t.pgettext("quote document", "For the attention of"),
        prepared_by=t.pgettext("quote document", "Prepared by"),
        description=t.pgettext("quote document", "Description"),
        quantity=t.pgettext("quote document", "Qty"),
        unit_price=t.pgettext("quote document", "Unit price"),
        discount=t.pgettext("quote document", "Disc."),
        tax_rate=t.pgettext("quote document", "VAT"),
        amount=t.pgettext("quote document", "Amount"),
        optional=t.pgettext("quote document", "Optional"),
        section_subtotal=t.pgettext("quote document", "Subtotal {section}"),
        optional_note=t.pgettext(
            "quote document",
            "Optional lines ({amount} before tax) are shown for information and are not "
            "included in the total.",
        ),
        rate=t.pgettext("quote document", "VAT rate"),
        base=t.pgettext("quote document", "Taxable base"),
        tax=t.pgettext("quote document", "VAT amount"),
        subtotal=t.pgettext("quote document", "Taxable base"),
        tax_total=t.pgettext("quote document", "VAT"),
        total=t.pgettext("quote document", "TOTAL"),
        terms=t.pgettext("quote document", "Terms and conditions"),
        validity=t.pgettext("quote document", "This quote is valid until {date}."),
        acceptance=t.pgettext("quote document", "Customer acceptance"),
        acceptance_text=t.pgettext(
            "quote document",
            "We accept quote {number} (revision {revision}) under the terms above.",
        ),
        name_and_role=t.pgettext("quote document", "Name and position"),
        signature=t.pgettext("quote document", "Signature"),
        date=t.pgettext("quote document", "Date"),
        stamp=t.pgettext("quote document", "Company stamp"),
        page=t.pgettext("quote document", "Page {page} of {pages}"),
        continued=t.pgettext("quote document", "Quote {number} · revision {revision}"),
        draft=t.pgettext("quote document", "DRAFT"),
    )
