"""A quote's life after it is submitted: approval, return, withdrawal, revision, the customer's
answer. Sending (the PDF and the e-mail draft) is in :mod:`.quote_sending`.

Every change goes through :func:`.editing.update_record` / :func:`.editing.create_record` in the
caller's transaction, so the shared write rules of :mod:`sync_server.protocol.authority` are
checked here first (the same codes the server gives) and each change is queued for sync. A
refusal raises before anything is written; the caller rolls back either way.

The statuses (issue 10)::

    draft ⇄ pending_approval → approved → sent → accepted | rejected
                                 (expired: the valid-until date has passed)

* :func:`approve_quote` — a manager of the owner (or an admin) approves a quote pending
  approval; ``approved_by_id`` names them, ``approved_at`` and the optional ``decision_note``
  are kept with it.
* :func:`return_quote` — the manager turns the request down: the quote goes back to draft with
  the note (required) saying why.
* :func:`withdraw_quote` — the rep takes the request back to edit the quote again.
* :func:`reject_quote` — the customer said no to a sent quote; the reason is required.
* :func:`accept_quote` — the customer said yes to a sent quote; its opportunity, if any,
  becomes ``closed_won`` with the quote's net total (before tax), asking first when the
  opportunity's amount differs (:class:`DomainError` ``opportunity_amount_differs``).
* :func:`revise_quote` — a new revision of an approved, sent, rejected or expired quote: the
  same number, revision + 1, linked by ``previous_quote_id``, a draft with the header and the
  lines copied (prices as they were: the revision is a change of *that* offer), issued today and
  valid for the company's validity days. An accepted quote is a deal (not revised); a draft or a
  quote pending approval is still edited in place; a quote already revised is revised through
  its latest revision. The earlier revision stays as it was: frozen by its status.

A quote whose valid-until date has passed is refused (``quote_expired``) for approval, sending
and acceptance: it is revised instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.store.errors import RecordNotFound
from sfa_desktop.store.models.sales import Quote, QuoteLine
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.quote_totals import minor_unit_digits

from .editing import EditContext, create_record, update_record
from .quote_writing import valid_until_from
from .quotes import quote_detail

__all__ = [
    "REVISABLE_STATUSES",
    "AcceptResult",
    "accept_quote",
    "approve_quote",
    "has_later_revision",
    "live_quote",
    "net_total",
    "reject_quote",
    "return_quote",
    "revise_quote",
    "withdraw_quote",
]

#: Statuses a new revision is made from (see the module docstring).
REVISABLE_STATUSES = frozenset({"approved", "sent", "rejected", "expired"})

#: Header fields a revision copies from the quote it revises.
_COPIED_HEADER = (
    "number",
    "account_id",
    "contact_id",
    "opportunity_id",
    "owner_id",
    "currency",
    "price_list_id",
    "terms",
    "notes",
    "customer_note",
)
#: Line fields a revision copies.
_COPIED_LINE = (
    "product_id",
    "description",
    "quantity",
    "unit_price",
    "discount_pct",
    "tax_rate_pct",
    "position",
    "kind",
    "optional",
)


def live_quote(session: Session, quote_id: str) -> dict[str, Any]:
    """The quote as stored; :class:`RecordNotFound` when it is not here or deleted."""
    quote = get_record(session, "quote", quote_id)
    if quote is None or quote["deleted_at"] is not None:
        raise RecordNotFound("quote", quote_id)
    return quote


def _require_status(quote: dict[str, Any], status: str, code: str) -> None:
    if quote["status"] != status:
        raise DomainError(code, params={"status": quote["status"], "number": quote["number"]})


def _decide(
    session: Session, ctx: EditContext, quote: dict[str, Any], changes: dict[str, Any]
) -> None:
    """Write a manager's decision; a writer who does not manage the owner gets one clear
    refusal (``quote_decision_not_yours``) instead of the rule's field-level one."""
    try:
        update_record(session, ctx, "quote", quote["id"], changes)
    except ValidationErrors as refused:
        if any(e.code == "manager_only_field" for e in refused.errors):
            raise DomainError(
                "quote_decision_not_yours", params={"number": quote["number"]}
            ) from refused
        raise


def _require_unexpired(quote: dict[str, Any], today: dt.date) -> None:
    valid_until = quote["valid_until"]
    if quote["status"] == "expired" or (valid_until is not None and valid_until < today):
        params = {"number": quote["number"], "valid_until": valid_until}
        raise DomainError("quote_expired", params=params)


def _require_user(ctx: EditContext) -> str:
    if ctx.user_id is None:
        raise DomainError("no_current_user")
    return ctx.user_id


def _required_text(text: str | None, field: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise DomainError("reason_required", field=field)
    return cleaned


def _utc_day(now: dt.datetime) -> dt.date:
    return now.astimezone(dt.UTC).date()


def approve_quote(
    session: Session, ctx: EditContext, quote_id: str, *, note: str | None, now: dt.datetime
) -> None:
    """Approve a quote pending approval, as a manager of its owner (or an admin).

    Raises :class:`DomainError` ``no_current_user``, ``quote_not_pending``, ``quote_expired``,
    ``quote_decision_not_yours`` for someone who does not manage the owner (the shared rule
    ``manager_only_field``), or another refusal of the shared rules as :class:`ValidationErrors`.
    """
    approver = _require_user(ctx)
    quote = live_quote(session, quote_id)
    _require_status(quote, "pending_approval", "quote_not_pending")
    _require_unexpired(quote, _utc_day(now))
    changes: dict[str, Any] = {
        "approved_by_id": approver,
        "approved_at": now.astimezone(dt.UTC),
        "decision_note": (note or "").strip() or None,
        "status": "approved",
    }
    _decide(session, ctx, quote, changes)


def return_quote(session: Session, ctx: EditContext, quote_id: str, *, note: str) -> None:
    """Turn an approval request down: back to draft, with the manager's ``note`` (required:
    ``reason_required``). Only a manager of the owner writes the note
    (``quote_decision_not_yours``).
    """
    _require_user(ctx)
    quote = live_quote(session, quote_id)
    _require_status(quote, "pending_approval", "quote_not_pending")
    text = _required_text(note, "decision_note")
    _decide(session, ctx, quote, {"decision_note": text, "status": "draft"})


def withdraw_quote(session: Session, ctx: EditContext, quote_id: str) -> None:
    """Take an approval request back (pending approval → draft) to edit the quote again."""
    quote = live_quote(session, quote_id)
    _require_status(quote, "pending_approval", "quote_not_pending")
    update_record(session, ctx, "quote", quote_id, {"status": "draft"})


def reject_quote(session: Session, ctx: EditContext, quote_id: str, *, reason: str) -> None:
    """The customer said no to a sent quote: rejected, with their ``reason`` (required)."""
    quote = live_quote(session, quote_id)
    _require_status(quote, "sent", "quote_not_sent")
    text = _required_text(reason, "rejection_reason")
    update_record(session, ctx, "quote", quote_id, {"rejection_reason": text, "status": "rejected"})


def has_later_revision(session: Session, quote_id: str) -> bool:
    """Whether a quote (deleted or not) names ``quote_id`` as its previous revision."""
    found = session.scalar(select(Quote.id).where(Quote.previous_quote_id == quote_id).limit(1))
    return found is not None


def revise_quote(session: Session, ctx: EditContext, quote_id: str, *, today: dt.date) -> str:
    """Make revision N+1 of an approved, sent, rejected or expired quote; returns its id.

    Raises :class:`DomainError` ``quote_not_revisable`` (a draft, pending or accepted quote),
    ``quote_already_revised`` (revise the latest revision instead), or the shared rules'
    refusal (``duplicate_number`` when revision N+1 exists where this profile cannot see it).
    """
    quote = live_quote(session, quote_id)
    if quote["status"] not in REVISABLE_STATUSES:
        raise DomainError(
            "quote_not_revisable", params={"status": quote["status"], "number": quote["number"]}
        )
    if has_later_revision(session, quote_id):
        raise DomainError("quote_already_revised", params={"number": quote["number"]})
    values = {name: quote[name] for name in _COPIED_HEADER if quote[name] is not None}
    values |= {
        "revision": quote["revision"] + 1,
        "previous_quote_id": quote_id,
        "status": "draft",
        "issue_date": today,
        "valid_until": valid_until_from(session, today),
    }
    lines = session.scalars(
        select(QuoteLine)
        .where(QuoteLine.quote_id == quote_id, QuoteLine.deleted_at.is_(None))
        .order_by(QuoteLine.position, QuoteLine.id)
    ).all()
    with session.begin_nested():  # the revision and its lines, or none of them
        new_id = create_record(session, ctx, "quote", values)
        for line in lines:
            copied = {name: getattr(line, name) for name in _COPIED_LINE}
            copied = {name: value for name, value in copied.items() if value is not None}
            create_record(session, ctx, "quote_line", copied | {"quote_id": new_id})
    return new_id


# --- acceptance ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AcceptResult:
    """What accepting a quote did."""

    quote_id: str
    #: the quote's net total (before tax) in major units of ``currency``
    net_total: Decimal
    currency: str
    #: the opportunity now closed won (None: the quote has none, or it is not on this profile)
    opportunity_id: str | None = None
    #: whether the opportunity's amount (and currency) became the quote's net total
    amount_set: bool = False


def net_total(session: Session, quote_id: str, today: dt.date) -> Decimal:
    """The quote's net total (the subtotal before tax, by the one totals rule), major units."""
    detail = quote_detail(session, quote_id, today)
    if detail is None:
        raise RecordNotFound("quote", quote_id)
    return detail.totals.subtotal


def _major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_unit_digits(currency))


def accept_quote(
    session: Session,
    ctx: EditContext,
    quote_id: str,
    *,
    set_amount: bool | None = None,
    now: dt.datetime,
) -> AcceptResult:
    """The customer accepted a sent quote: accepted, and its opportunity closed won.

    The opportunity gets stage ``closed_won``, probability 100, forecast category ``closed``
    and today's close date; its amount becomes the quote's net total when ``set_amount`` is
    True, stays when False. When the amounts (or currencies) differ and ``set_amount`` is None,
    raises :class:`DomainError` ``opportunity_amount_differs`` (params ``quote_amount``,
    ``opportunity_amount``, ``currency``, ``opportunity_currency``) and writes nothing, so the
    caller asks and calls again. Also ``quote_not_sent``, ``quote_expired``,
    ``quote_already_revised``.
    """
    quote = live_quote(session, quote_id)
    today = _utc_day(now)
    _require_status(quote, "sent", "quote_not_sent")
    _require_unexpired(quote, today)
    if has_later_revision(session, quote_id):
        raise DomainError("quote_already_revised", params={"number": quote["number"]})
    currency = quote["currency"]
    net_major = net_total(session, quote_id, today)
    net = int(net_major.scaleb(minor_unit_digits(currency)))
    opportunity = _opportunity(session, quote)
    won = None if opportunity is None else _won(opportunity, net, currency, set_amount, today)
    with session.begin_nested():  # the quote and its opportunity, or neither
        update_record(session, ctx, "quote", quote_id, {"status": "accepted"})
        if opportunity is not None and won is not None:
            update_record(session, ctx, "opportunity", opportunity["id"], won)
    return AcceptResult(
        quote_id,
        net_major,
        currency,
        None if opportunity is None else opportunity["id"],
        won is not None and "amount" in won,
    )


def _won(
    opportunity: dict[str, Any], net: int, currency: str, set_amount: bool | None, today: dt.date
) -> dict[str, Any]:
    """The opportunity's changes once won; asks (raises) when its amount differs."""
    differs = (opportunity["amount"], opportunity["currency"]) != (net, currency)
    if differs and set_amount is None:
        raise DomainError(
            "opportunity_amount_differs",
            params={
                "quote_amount": _major(net, currency),
                "opportunity_amount": _major(opportunity["amount"], opportunity["currency"]),
                "currency": currency,
                "opportunity_currency": opportunity["currency"],
            },
        )
    won: dict[str, Any] = {
        "stage": "closed_won",
        "probability": 100,
        "forecast_category": "closed",
        "expected_close_date": today,
    }
    if differs and set_amount:
        won |= {"amount": net, "currency": currency}
    return won


def _opportunity(session: Session, quote: dict[str, Any]) -> dict[str, Any] | None:
    opportunity_id = quote["opportunity_id"]
    if opportunity_id is None:
        return None
    opportunity = get_record(session, "opportunity", opportunity_id)
    if opportunity is None or opportunity["deleted_at"] is not None:
        return None
    return opportunity
