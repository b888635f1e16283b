"""Saving the quote editor's draft: a new quote through :func:`.quote_writing.new_quote`, or an
editable one updated by comparing its lines with the stored ones (created, changed or deleted
through :mod:`.editing`), positions renumbered, all in one savepoint — a refusal writes nothing.
Prices are checked against the price list (:func:`.quote_drafts.list_prices`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationError, ValidationErrors
from sfa_desktop.store.errors import RecordNotFound
from sfa_desktop.store.models.customers import Contact
from sfa_desktop.store.models.reference import PriceList, Product
from sfa_desktop.store.models.sales import Opportunity, QuoteLine
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.authorities import QUOTE_EDITABLE_STATUSES

from .editing import EditContext, create_record, delete_record, update_record
from .quote_drafts import (
    DraftHeader,
    DraftLine,
    QuoteDraft,
    line_field,
    list_prices,
    major_amount,
    minor_amount,
    not_priced,
)
from .quote_writing import new_quote

__all__ = ["save_quote_draft"]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _line_problems(index: int, line: DraftLine) -> list[ValidationError]:
    where = line_field(index)
    problems: list[ValidationError] = []
    if not line.description.strip():
        problems.append(ValidationError("required", field=where))
    if line.kind != "item":
        return problems
    if line.quantity <= 0:
        problems.append(
            ValidationError("quantity_not_positive", field=where, params={"value": line.quantity})
        )
    if not _ZERO <= line.discount_pct <= _HUNDRED:
        problems.append(ValidationError("out_of_range", field=where, params={"min": 0, "max": 100}))
    return problems


def _check_lines(lines: Sequence[DraftLine]) -> None:
    problems = [problem for i, line in enumerate(lines) for problem in _line_problems(i, line)]
    if problems:
        raise ValidationErrors(problems)


def _check_header(session: Session, header: DraftHeader) -> None:
    """The account is required; the opportunity must be one of the account's."""
    if not header.account_id:
        raise ValidationErrors([ValidationError("required", field="account_id")])
    if header.opportunity_id:
        opportunity = session.get(Opportunity, header.opportunity_id)
        if opportunity is None or opportunity.deleted_at is not None:
            raise DomainError(
                "unknown_reference",
                field="opportunity_id",
                params={"entity": "opportunity", "value": header.opportunity_id},
            )
        if opportunity.account_id != header.account_id:
            raise DomainError("opportunity_of_other_account", field="opportunity_id")


def _line_values(line: DraftLine, currency: str, index: int) -> dict[str, Any]:
    """Every field of the line (headings and text lines carry no amounts: one unit at 0)."""
    item = line.kind == "item"
    return {
        "kind": line.kind,
        "description": line.description.strip(),
        "position": index,
        "optional": line.optional and item,
        "product_id": line.product_id if item else None,
        "quantity": line.quantity if item else Decimal(1),
        "unit_price": minor_amount(line.unit_price, currency, line_field(index)) if item else 0,
        "discount_pct": line.discount_pct if item else _ZERO,
        "tax_rate_pct": line.tax_rate_pct if item else _ZERO,
    }


def _authoritative_prices(
    session: Session, header: DraftHeader, lines: Sequence[DraftLine]
) -> tuple[DraftLine, ...]:
    """New item lines take their price from the price list and their tax rate from the
    product (what the picker showed, read again where it is kept)."""
    fresh = [line for line in lines if line.id is None and line.kind == "item" and line.product_id]
    if not fresh or header.price_list_id is None:
        return tuple(lines)
    prices = list_prices(session, header.price_list_id, (line.product_id for line in fresh))
    taxes = dict(
        session.execute(
            select(Product.id, Product.tax_rate_pct).where(
                Product.id.in_({line.product_id for line in fresh})
            )
        ).all()
    )
    price_list = session.get(PriceList, header.price_list_id)
    currency = price_list.currency if price_list is not None else header.currency
    out: list[DraftLine] = []
    problems: list[ValidationError] = []
    for index, line in enumerate(lines):
        if line not in fresh or line.product_id is None:
            out.append(line)
            continue
        minor = prices.get(line.product_id)
        if minor is None:
            problems.append(not_priced(index, line, price_list.name if price_list else ""))
            continue
        out.append(
            replace(
                line,
                unit_price=major_amount(minor, currency),
                tax_rate_pct=taxes.get(line.product_id, line.tax_rate_pct),
            )
        )
    if problems:
        raise ValidationErrors(problems)
    return tuple(out)


def _header_values(header: DraftHeader) -> dict[str, Any]:
    return {
        "opportunity_id": header.opportunity_id,
        "issue_date": header.issue_date,
        "valid_until": header.valid_until,
        "terms": (header.terms or "").strip() or None,
        "customer_note": (header.customer_note or "").strip() or None,
    }


def save_quote_draft(session: Session, ctx: EditContext, draft: QuoteDraft, today: dt.date) -> str:
    """Write ``draft`` (a new quote, or the lines and header of an editable one); returns the
    quote's id.

    Everything happens in one savepoint: :class:`ValidationErrors` (every bad line at once,
    fields ``"line N"``), :class:`DomainError` (``quote_frozen``, ``unknown_reference``,
    ``opportunity_of_other_account``, ``price_list_required``…) or :class:`RecordNotFound`
    leave nothing written.
    """
    _check_lines(draft.lines)
    with session.begin_nested():
        _check_header(session, draft.header)
        lines = _authoritative_prices(session, draft.header, draft.lines)
        if draft.quote_id is None:
            quote_id = _create(session, ctx, draft.header, today)
        else:
            quote_id = draft.quote_id
            _update_header(session, ctx, quote_id, draft.header)
        _write_lines(session, ctx, quote_id, lines)
    return quote_id


def _create(session: Session, ctx: EditContext, header: DraftHeader, today: dt.date) -> str:
    assert header.account_id is not None
    return new_quote(
        session,
        ctx,
        account_id=header.account_id,
        contact_id=header.contact_id,
        price_list_id=header.price_list_id,
        lines=(),
        today=today,
        header=_header_values(header),
    )


def _update_header(session: Session, ctx: EditContext, quote_id: str, header: DraftHeader) -> None:
    quote = get_record(session, "quote", quote_id)
    if quote is None or quote["deleted_at"] is not None:
        raise RecordNotFound("quote", quote_id)
    if quote["status"] not in QUOTE_EDITABLE_STATUSES:
        raise DomainError("quote_frozen", params={"status": quote["status"]})
    changes = _header_values(header)
    changes["contact_id"] = header.contact_id
    if header.account_id != quote["account_id"]:
        changes["account_id"] = header.account_id
    if header.price_list_id and header.price_list_id != quote["price_list_id"]:
        price_list = session.get(PriceList, header.price_list_id)
        if price_list is None or price_list.deleted_at is not None:
            raise DomainError(
                "unknown_reference",
                field="price_list_id",
                params={"entity": "price_list", "value": header.price_list_id},
            )
        changes.update(price_list_id=price_list.id, currency=price_list.currency)
    if header.contact_id:
        contact = session.get(Contact, header.contact_id)
        if contact is not None and contact.account_id != header.account_id:
            raise DomainError("contact_of_other_account", field="contact_id")
    update_record(session, ctx, "quote", quote_id, changes)


def _write_lines(
    session: Session, ctx: EditContext, quote_id: str, lines: Sequence[DraftLine]
) -> None:
    quote = get_record(session, "quote", quote_id)
    assert quote is not None
    currency = str(quote["currency"])
    stored = set(
        session.scalars(
            select(QuoteLine.id).where(
                QuoteLine.quote_id == quote_id, QuoteLine.deleted_at.is_(None)
            )
        )
    )
    kept = {line.id for line in lines if line.id is not None}
    unknown = kept - stored
    if unknown:
        raise RecordNotFound("quote_line", sorted(unknown)[0])
    for line_id in sorted(stored - kept):
        delete_record(session, ctx, "quote_line", line_id)
    for index, line in enumerate(lines):
        values = _line_values(line, currency, index)
        if line.id is None:
            create_record(session, ctx, "quote_line", {**values, "quote_id": quote_id})
        else:
            update_record(session, ctx, "quote_line", line.id, values)
